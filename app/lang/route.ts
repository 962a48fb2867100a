// GET /lang?to=fr&next=/runs/3 — remembers the language in a cookie and goes back to the page.
import { isLang, LANG_COOKIE } from '@/lib/i18n/lang';
import { safeNext } from './safeNext';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Response {
  const url = new URL(request.url);
  const to = url.searchParams.get('to');
  if (!isLang(to)) return new Response('unknown language: use ?to=en or ?to=fr', { status: 400 });
  return new Response(null, {
    status: 303,
    headers: {
      Location: safeNext(url.searchParams.get('next')),
      'Set-Cookie': `${LANG_COOKIE}=${to}; Path=/; Max-Age=31536000; SameSite=Lax`,
      'Cache-Control': 'no-store',
    },
  });
}
