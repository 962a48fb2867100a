import { Suspense } from 'react';
import type { Lang } from '@/lib/i18n/lang';
import { translate } from '@/lib/i18n/translate';
import type { Theme } from '@/lib/i18n/requestLang';
import { NavLinks } from './NavLinks';
import { LangSwitch } from './LangSwitch';
import { ThemeToggle } from './ThemeToggle';

export function SiteHeader({ lang, theme }: { lang: Lang; theme: Theme | null }) {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const links = [
    { href: '/', label: t('nav.runs') },
    { href: '/compare', label: t('nav.compare') },
    { href: '/footprint', label: t('nav.footprint') },
    { href: '/machines', label: t('nav.machines') },
    { href: '/advise', label: t('nav.advise') },
    { href: '/live', label: t('nav.live') },
  ];
  return (
    <header className="site-header">
      <a className="brand" href="/">
        watt<span>bench</span>
      </a>
      <nav className="site-nav" aria-label={t('nav.label')}>
        <NavLinks links={links} />
      </nav>
      <div className="header-tools">
        <Suspense fallback={<a className="tool-button" href={`/lang?to=${lang === 'en' ? 'fr' : 'en'}`}>{t('lang.other')}</a>}>
          <LangSwitch lang={lang} />
        </Suspense>
        <ThemeToggle lang={lang} initial={theme} />
      </div>
    </header>
  );
}
