// Where /lang may send the browser back to: a path of this site only, decided by the URL API, which parses
// "/\tevil.com", "//evil.com" and "/\\evil.com" the way a browser does (all three leave the site).
const BASE = 'http://wattbench.invalid';

/** `next` as a same-origin path ("/runs/3?x=1#a"), or "/" when it is missing or would leave the site. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  // "/.//evil.com" stays on the site but serialises to "//evil.com", which a browser reads as another host.
  if (url.origin !== BASE || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
