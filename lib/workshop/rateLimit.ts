// A sliding-window rate limit per key (a client address), in the server's memory: `limit` requests per window.
export interface RateLimiter {
  /** Counts one request; null when allowed, else the seconds until the oldest request leaves the window. */
  take(key: string, now?: number): number | null;
}

export function createRateLimiter(limit: number, windowMs = 60_000): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    take(key, now = Date.now()) {
      const recent = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        return Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
      }
      recent.push(now);
      hits.set(key, recent);
      // Keys of clients gone quiet are dropped now and then, so the map does not grow for ever.
      if (hits.size > 10_000) for (const [k, v] of hits) if (v.every((t) => t <= now - windowMs)) hits.delete(k);
      return null;
    },
  };
}

/**
 * The client's address as Next's server recorded it (x-forwarded-for, set from the socket when the request did
 * not carry one). A client may send its own header and so choose its bucket: the limit slows a well-behaved
 * room's retries, it is not a defence against someone holding the token.
 */
export function clientAddress(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0].trim() || 'unknown';
}
