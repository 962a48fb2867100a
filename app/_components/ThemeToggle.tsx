'use client';
import { useState } from 'react';
import type { Lang } from '@/lib/i18n/lang';
import { translate } from '@/lib/i18n/translate';

type Mode = 'system' | 'light' | 'dark';
const NEXT: Record<Mode, Mode> = { system: 'light', light: 'dark', dark: 'system' };

/** Cycles system → light → dark; remembered in a cookie so the server renders the right theme. */
export function ThemeToggle({ lang, initial }: { lang: Lang; initial: 'light' | 'dark' | null }) {
  const [mode, setMode] = useState<Mode>(initial ?? 'system');
  const onClick = () => {
    const next = NEXT[mode];
    setMode(next);
    const root = document.documentElement;
    if (next === 'system') {
      delete root.dataset.theme;
      document.cookie = 'wb-theme=; Path=/; Max-Age=0; SameSite=Lax';
    } else {
      root.dataset.theme = next;
      document.cookie = `wb-theme=${next}; Path=/; Max-Age=31536000; SameSite=Lax`;
    }
  };
  return (
    <button type="button" className="tool-button" onClick={onClick} aria-live="polite">
      {translate(lang, 'theme.toggle', { mode: translate(lang, `theme.${mode}`) })}
    </button>
  );
}
