// The workshop's links. The join link carries the upload token in its fragment (after #), which browsers never
// send to a server, so it stays out of requests and logs. The projector link is opened on the leader's own
// machine (127.0.0.1): its fragment carries the whole join link (with the LAN address participants use), and the
// projector page reads it in the browser. Without it the page shows no token: a laptop that knows only the code
// can read the leaderboard but not learn the token.
import { isJoinCode } from './joinCodeFormat';

/** http://HOST:PORT/CODE#TOKEN */
export function joinUrl(origin: string, code: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/${code}#${token}`;
}

/** http://127.0.0.1:PORT/CODE/projector#<the join link, URI-encoded> */
export function projectorUrl(localOrigin: string, code: string, join: string): string {
  return `${localOrigin.replace(/\/+$/, '')}/${code}/projector#${encodeURIComponent(join)}`;
}

/** The join link of a projector page's fragment, when it is one for workshop `code`; else null. */
export function joinLinkFromFragment(fragment: string, code: string): string | null {
  if (!isJoinCode(code)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(fragment.replace(/^#/, ''));
  } catch {
    return null;
  }
  let url: URL;
  try {
    url = new URL(decoded);
  } catch {
    return null;
  }
  const token = url.hash.slice(1);
  if (!/^https?:$/.test(url.protocol) || url.pathname !== `/${code}` || !/^[A-Za-z0-9_-]{20,200}$/.test(token) || url.search || url.username) return null;
  return url.toString();
}
