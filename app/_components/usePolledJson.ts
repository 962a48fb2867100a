'use client';
// Polls a JSON endpoint every `intervalMs` (the next poll starts after the previous answer, never overlapping),
// starting from what the server rendered. `stale` is true while the last poll failed: the page keeps showing
// the last good data and says so. The Live page and the workshop page both refresh this way.
import { useEffect, useState } from 'react';

export interface Polled<T> {
  data: T;
  stale: boolean;
  /** Successful polls so far. */
  polls: number;
}

export function usePolledJson<T>(url: string, initial: T, intervalMs: number): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: initial, stale: false, polls: 0 });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const res = await fetch(url, { cache: 'no-store' });
        if (!res.ok) throw new Error(String(res.status));
        const body = (await res.json()) as T;
        if (!stopped) setState((s) => ({ data: body, stale: false, polls: s.polls + 1 }));
      } catch {
        if (!stopped) setState((s) => ({ ...s, stale: true }));
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [url, intervalMs]);
  return state;
}
