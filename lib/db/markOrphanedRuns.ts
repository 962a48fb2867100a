// A run left "running" by a process that no longer exists is marked interrupted; live runs are left alone.
import { eq, and } from 'drizzle-orm';
import { runs } from './schema';
import { isProcessAlive } from './processIdentity';
import type { Db } from './openDb';

export function markOrphanedRuns(db: Db, now: number = Date.now()): number[] {
  const running = db.select({ id: runs.id, pid: runs.pid, pidStartTicks: runs.pidStartTicks }).from(runs).where(eq(runs.status, 'running')).all();
  const marked: number[] = [];
  for (const run of running) {
    if (isProcessAlive(run.pid, run.pidStartTicks)) continue;
    db.update(runs)
      .set({ status: 'interrupted', endedAt: now, error: 'the benchmark process ended without finishing (killed or crashed)' })
      .where(and(eq(runs.id, run.id), eq(runs.status, 'running')))
      .run();
    marked.push(run.id);
  }
  return marked;
}
