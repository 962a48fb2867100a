// A join link (`http://HOST:PORT/CODE#TOKEN`) to the leader's address, the workshop's code and its upload token.
// The token travels in the fragment, which browsers never send: only `wattbench join` reads it.
import { InputError } from '../../errors/WattbenchError';

export interface JoinTarget {
  /** The leader's origin, e.g. http://192.168.1.20:3000 */
  origin: string;
  /** The join code, upper case. */
  code: string;
  /** The upload token; null when neither the link nor --token gives one (the manifest can still be read). */
  token: string | null;
}

/** The alphabet of join codes: no 0/O/1/I. */
export const JOIN_CODE_PATTERN = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/;

/** Parses a join link; `token` (--token) overrides the fragment's. Bad input is one line naming the fix. */
export function parseJoinLink(link: string, token?: string): JoinTarget {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new InputError(`"${link}" is not a join link; pass the address the leader printed, e.g. http://192.168.1.20:3000/ABC234#TOKEN`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`the join link must start with http:// or https:// (got "${url.protocol}"); copy the one the leader printed`);
  const segments = url.pathname.split('/').filter(Boolean);
  const code = (segments[0] ?? '').toUpperCase();
  if (segments.length !== 1 || !JOIN_CODE_PATTERN.test(code)) {
    throw new InputError(`the join link must end with the workshop's 6-character code (http://HOST:PORT/CODE#TOKEN), got "${url.pathname}"; copy the one the leader printed`);
  }
  const fragment = url.hash.replace(/^#/, '');
  const chosen = token ?? (fragment === '' ? null : decodeURIComponent(fragment));
  if (chosen !== null && !/^[A-Za-z0-9_-]{16,128}$/.test(chosen)) throw new InputError('the upload token is malformed (expected base64url text); copy the whole join link the leader printed, or pass --token');
  return { origin: url.origin, code, token: chosen };
}
