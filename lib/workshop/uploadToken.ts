// The workshop's secret upload token: 32 random bytes (base64url) shown once to the leader; only its sha256 is
// stored, and a presented token is compared by digest in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function generateUploadToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashUploadToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` is the one whose sha256 hex is `storedSha256` (digests of equal length: constant time). */
export function uploadTokenMatches(token: string, storedSha256: string): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(storedSha256, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** The token of an `Authorization: Bearer TOKEN` header, or null. */
export function bearerToken(header: string | null): string | null {
  const m = header?.match(/^Bearer ([A-Za-z0-9_-]{1,200})$/);
  return m ? m[1] : null;
}
