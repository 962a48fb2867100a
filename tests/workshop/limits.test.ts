// The upload endpoint's guards as functions: the body reader stops at the limit without reading the rest of a
// stream, the per-address limiter refuses the 31st request of a minute and says when to retry, the token check.
import { describe, expect, it } from 'vitest';
import { readLimitedBody } from '../../lib/workshop/readLimitedBody';
import { createRateLimiter } from '../../lib/workshop/rateLimit';
import { UPLOAD_MAX_BYTES, UPLOADS_PER_MINUTE } from '../../lib/workshop/uploadLimits';
import { bearerToken, generateUploadToken, hashUploadToken, uploadTokenMatches } from '../../lib/workshop/uploadToken';
import { joinLinkFromFragment, joinUrl, projectorUrl } from '../../lib/workshop/links';

const MiB = 1024 * 1024;

/** A request whose body is an endless stream of 1 MiB chunks, counting how many were pulled. */
function endlessRequest(): { request: Request; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(MiB).fill(0x20));
    },
  });
  const request = new Request('http://127.0.0.1/api', { method: 'POST', body, duplex: 'half' } as RequestInit & { duplex: 'half' });
  return { request, pulled: () => pulled };
}

describe('readLimitedBody', () => {
  it('stops reading a stream without a length soon after the limit', async () => {
    const { request, pulled } = endlessRequest();
    expect(await readLimitedBody(request, UPLOAD_MAX_BYTES)).toEqual({ ok: false, tooLarge: true });
    // The limit is 4 MiB: the reader gave up within a couple of chunks of it, not at the end of the stream.
    expect(pulled()).toBeLessThanOrEqual(UPLOAD_MAX_BYTES / MiB + 3);
  });

  it('refuses a declared length over the limit before reading, and reads a body within it whole', async () => {
    const big = new Request('http://127.0.0.1/api', { method: 'POST', body: 'x', headers: { 'content-length': String(UPLOAD_MAX_BYTES + 1) } });
    expect(await readLimitedBody(big, UPLOAD_MAX_BYTES)).toEqual({ ok: false, tooLarge: true });
    const text = 'é'.repeat(1000);
    expect(await readLimitedBody(new Request('http://127.0.0.1/api', { method: 'POST', body: text }), UPLOAD_MAX_BYTES)).toEqual({ ok: true, text });
  });
});

describe('createRateLimiter', () => {
  it('allows 30 uploads a minute per address, then says when to retry', () => {
    const limiter = createRateLimiter(UPLOADS_PER_MINUTE);
    const t0 = 1_000_000;
    for (let i = 0; i < UPLOADS_PER_MINUTE; i++) expect(limiter.take('10.0.0.5', t0 + i * 100)).toBeNull();
    const wait = limiter.take('10.0.0.5', t0 + 3_000);
    expect(wait).toBe(57);
    // Another address has its own allowance; the first one's comes back as its oldest request ages out.
    expect(limiter.take('10.0.0.6', t0 + 3_000)).toBeNull();
    expect(limiter.take('10.0.0.5', t0 + 60_001)).toBeNull();
  });
});

describe('upload token and links', () => {
  it('matches only the token whose hash is stored, from a Bearer header', () => {
    const token = generateUploadToken();
    const stored = hashUploadToken(token);
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`Basic ${token}`)).toBeNull();
    expect(bearerToken(null)).toBeNull();
    expect(uploadTokenMatches(token, stored)).toBe(true);
    expect(uploadTokenMatches(generateUploadToken(), stored)).toBe(false);
    expect(uploadTokenMatches(token, 'not hex')).toBe(false);
  });

  it("reads the join link back from the projector link's fragment, and nothing else", () => {
    const token = generateUploadToken();
    const join = joinUrl('http://192.168.1.20:3000', 'ABCDEF', token);
    const projector = new URL(projectorUrl('http://127.0.0.1:3000', 'ABCDEF', join));
    expect(projector.pathname).toBe('/ABCDEF/projector');
    expect(joinLinkFromFragment(projector.hash, 'ABCDEF')).toBe(join);
    expect(joinLinkFromFragment(projector.hash, 'ABCDEG')).toBeNull();
    expect(joinLinkFromFragment(`#${encodeURIComponent('javascript:alert(1)//ABCDEF#' + token)}`, 'ABCDEF')).toBeNull();
    expect(joinLinkFromFragment('', 'ABCDEF')).toBeNull();
  });
});
