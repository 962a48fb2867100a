'use client';
import type { ReactNode } from 'react';

/** A GET form that submits itself when a menu changes; its submit button keeps it usable without JavaScript. */
export function AutoSubmitForm({ action, children, className, label }: { action: string; children: ReactNode; className?: string; label?: string }) {
  return (
    <form
      action={action}
      method="get"
      className={className}
      aria-label={label}
      onChange={(e) => {
        const target = e.target as HTMLElement;
        if (target instanceof HTMLSelectElement) e.currentTarget.requestSubmit();
      }}
    >
      {children}
    </form>
  );
}
