import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDb } from '../../lib/db/openDb';
import { runs } from '../../lib/db/schema';
import { upsertHardware, upsertModel, createRun } from '../../lib/db/runWriter';
import { markOrphanedRuns } from '../../lib/db/markOrphanedRuns';
import { processStartTicks } from '../../lib/db/processIdentity';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { makeTempDir } from '../helpers/paths';

const hardware = await detectHardware();

function newRun(db: ReturnType<typeof openDb>, pid: number, ticks: string | null): number {
  const hardwareId = upsertHardware(db, hardware);
  const modelId = upsertModel(db, { path: '/m.gguf', fileName: 'm.gguf', name: null, sizeBytes: 1, sha256: 'ab', architecture: null, parameters: null, type: null, contextLength: null, hasChatTemplate: false });
  return createRun(db, { modelId, hardwareId, suite: 'smoke', threads: 1, reps: 1, warmup: 0, contextSize: 64, seed: 1, promptFormat: 'completion', settings: {}, runtime: {}, pid, pidStartTicks: ticks, startedAt: Date.now() });
}

describe('markOrphanedRuns', () => {
  it('marks runs of dead processes and of reused pids, and leaves live ones alone', () => {
    const db = openDb(path.join(makeTempDir('orphans'), 'a.db'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const deadRun = newRun(db, Number(dead), null);
    const liveRun = newRun(db, process.pid, processStartTicks(process.pid));
    const reusedRun = newRun(db, process.pid, '1');
    expect(markOrphanedRuns(db).sort()).toEqual([deadRun, reusedRun].sort());
    const status = (id: number) => db.select({ s: runs.status }).from(runs).where(eq(runs.id, id)).get()?.s;
    expect(status(deadRun)).toBe('interrupted');
    expect(status(reusedRun)).toBe('interrupted');
    expect(status(liveRun)).toBe('running');
    db.$client.close();
  });
});
