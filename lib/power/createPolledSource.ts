// The life cycle shared by sources that poll files at every tick (RAPL, amdgpu, battery): open at start,
// read since the previous tick, fail softly (first reason wins, files closed), close at stop.
import type { PowerDomain, PowerReading, PowerSource, PowerSourceId, PowerTickContext } from './types';
import { SourceFailure, errorMessage, exposeFailure } from './sourceFailure';

export interface PolledSourceSpec<R> {
  id: PowerSourceId;
  label: string;
  domains: PowerDomain[];
  /** Name in failure messages: "RAPL could not start: …", "RAPL read failed: …". */
  name: string;
  /** Opens what every tick reads (and takes first counter values). Throwing makes the source fail softly. */
  open(): R[];
  /** Releases one reader's files. */
  close(reader: R): void;
  /**
   * Readings for the `intervalMs` since the previous tick. Throwing fails the source; calling `fail(reason)`
   * does too, with that reason (e.g. the charger was plugged in).
   */
  readAll(readers: R[], intervalMs: number, fail: (reason: string) => void): PowerReading[];
}

export function createPolledSource<R>(spec: PolledSourceSpec<R>): PowerSource {
  const failure = new SourceFailure();
  let readers: R[] = [];
  let lastMs = 0;
  const closeAll = () => {
    for (const r of readers) spec.close(r);
    readers = [];
  };
  const failAt = (nowMs: number) => (reason: string) => {
    failure.mark(reason, nowMs);
    closeAll();
  };

  return exposeFailure(failure, {
    id: spec.id,
    label: spec.label,
    domains: spec.domains,
    async start(ctx: PowerTickContext) {
      try {
        readers = spec.open();
        lastMs = ctx.nowMs;
      } catch (err) {
        failAt(ctx.nowMs)(`${spec.name} could not start: ${errorMessage(err)}`);
      }
    },
    read(ctx: PowerTickContext): PowerReading[] {
      if (failure.failed || readers.length === 0) return [];
      const intervalMs = ctx.nowMs - lastMs;
      // Two reads in the same millisecond: keep the baseline, the next read covers both.
      if (intervalMs <= 0) return [];
      let readings: PowerReading[];
      try {
        readings = spec.readAll(readers, intervalMs, failAt(ctx.nowMs));
      } catch (err) {
        failAt(ctx.nowMs)(`${spec.name} read failed: ${errorMessage(err)}`);
        return [];
      }
      if (failure.failed) return [];
      lastMs = ctx.nowMs;
      return readings;
    },
    async stop() {
      closeAll();
    },
  });
}
