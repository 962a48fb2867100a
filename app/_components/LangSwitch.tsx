'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import type { Lang } from '@/lib/i18n/lang';
import { translate } from '@/lib/i18n/translate';

/** A plain link (works without JavaScript): /lang sets the cookie and comes back to this page. */
export function LangSwitch({ lang }: { lang: Lang }) {
  const pathname = usePathname() ?? '/';
  const search = useSearchParams()?.toString() ?? '';
  const other: Lang = lang === 'en' ? 'fr' : 'en';
  const next = search ? `${pathname}?${search}` : pathname;
  return (
    <a
      className="tool-button"
      href={`/lang?to=${other}&next=${encodeURIComponent(next)}`}
      hrefLang={other}
      lang={other}
      title={translate(lang, 'lang.otherTitle')}
      data-testid="lang-switch"
    >
      {translate(lang, 'lang.other')}
    </a>
  );
}
