// A run of this machine left "running" by a process that no longer exists is marked interrupted; live runs, and
// every run of another machine (a shared or copied database), are left alone.
import os from 'node:os';
import { eq, and, max } from 'drizzle-orm';
import { hardware, results, runs, samples } from './schema';
import { bootTimeMs, isProcessAlive } from './processIdentity';
import type { Db } from './openDb';

export interface OrphanCheckOptions {
  /** The machine whose runs may be reconciled (its hardware row's host name). Defaults to os.hostname(). */
  hostname?: string;
}

/** The last moment the run's process is known to have been alive: its last sample or result, else its start. */
function lastSeen(db: Db, runId: number, startedAt: number): number {
  const sample = db.select({ t: max(samples.t) }).from(samples).where(eq(samples.runId, runId)).get()?.t ?? null;
  const result = db.select({ t: max(results.endedAt) }).from(results).where(eq(results.runId, runId)).get()?.t ?? null;
  return Math.max(startedAt, sample ?? startedAt, result ?? startedAt);
}

export function markOrphanedRuns(db: Db, options: OrphanCheckOptions = {}): number[] {
  const host = options.hostname ?? os.hostname();
  const running = db
    .select({ id: runs.id, pid: runs.pid, pidStartTicks: runs.pidStartTicks, startedAt: runs.startedAt })
    .from(runs)
    .innerJoin(hardware, eq(runs.hardwareId, hardware.id))
    // A pid means nothing on another machine: the same number may be a live benchmark there.
    .where(and(eq(runs.status, 'running'), eq(hardware.hostname, host)))
    .all();
  const booted = bootTimeMs();
  const marked: number[] = [];
  for (const run of running) {
    // Start ticks count from boot: a run started before this boot is gone whatever its pid is now.
    const beforeBoot = booted !== null && run.startedAt < booted;
    if (!beforeBoot && isProcessAlive(run.pid, run.pidStartTicks)) continue;
    db.update(runs)
      .set({ status: 'interrupted', endedAt: lastSeen(db, run.id, run.startedAt), error: 'the benchmark process ended without finishing (killed or crashed)' })
      .where(and(eq(runs.id, run.id), eq(runs.status, 'running')))
      .run();
    marked.push(run.id);
  }
  return marked;
}
