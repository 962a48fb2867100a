import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { getRequestLang, getRequestTheme } from '@/lib/i18n/requestLang';
import { translate } from '@/lib/i18n/translate';
import { dashboardDbPath } from '@/lib/queries/dashboardDb';
import { SiteHeader } from './_components/SiteHeader';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'wattbench', template: '%s · wattbench' },
  description: 'Local language models: speed and energy, measured.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [lang, theme] = await Promise.all([getRequestLang(), getRequestTheme()]);
  return (
    <html lang={lang} data-theme={theme ?? undefined}>
      <body>
        <a className="skip-link" href="#main">
          {translate(lang, 'common.skipToContent')}
        </a>
        <SiteHeader lang={lang} theme={theme} />
        <main id="main">{children}</main>
        <footer className="site-footer">{translate(lang, 'common.readOnly', { path: dashboardDbPath() })}</footer>
      </body>
    </html>
  );
}
