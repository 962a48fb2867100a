// Writes the sampler's new samples to the database every second while a run goes. A write that throws (a
// full disk, a locked file) must not escape a timer as an uncaught exception that kills the process and
// leaves the run "running": it stops the flushing and is handed to the run, which ends "failed".
import type { Db } from '../db/openDb';
import { insertSamples } from '../db/runWriter';
import type { Sampler } from '../sampler/createSampler';

export interface SampleFlush {
  /** Writes what is pending now; throws what the write throws (the samples stay pending). */
  flushNow(): void;
  /** Stops the timer; idempotent. */
  stop(): void;
}

export function startSampleFlush(db: Db, runId: number, sampler: Sampler, onError: (err: unknown) => void, intervalMs = 1000): SampleFlush {
  const flushNow = (): void => sampler.flush((batch) => insertSamples(db, runId, batch));
  const timer = setInterval(() => {
    try {
      flushNow();
    } catch (err) {
      clearInterval(timer);
      onError(err);
    }
  }, intervalMs);
  timer.unref();
  return { flushNow, stop: () => clearInterval(timer) };
}
