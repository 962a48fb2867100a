// The language and colour theme of the current request (server components and route handlers only).
import { cookies, headers } from 'next/headers';
import { LANG_COOKIE, pickLang, type Lang } from './lang';

export const THEME_COOKIE = 'wb-theme';
export type Theme = 'light' | 'dark';

export async function getRequestLang(): Promise<Lang> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  return pickLang(c.get(LANG_COOKIE)?.value, h.get('accept-language'));
}

/** The theme chosen with the toggle; null: follow the system (prefers-color-scheme). */
export async function getRequestTheme(): Promise<Theme | null> {
  const v = (await cookies()).get(THEME_COOKIE)?.value;
  return v === 'light' || v === 'dark' ? v : null;
}
