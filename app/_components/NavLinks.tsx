'use client';
import { usePathname } from 'next/navigation';

export function NavLinks({ links }: { links: { href: string; label: string }[] }) {
  const pathname = usePathname() ?? '/';
  const isCurrent = (href: string) => (href === '/' ? pathname === '/' || pathname.startsWith('/runs') : pathname.startsWith(href));
  return (
    <ul>
      {links.map((l) => (
        <li key={l.href}>
          <a href={l.href} aria-current={isCurrent(l.href) ? 'page' : undefined}>
            {l.label}
          </a>
        </li>
      ))}
    </ul>
  );
}
