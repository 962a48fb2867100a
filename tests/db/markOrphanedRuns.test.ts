import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDb, type Db } from '../../lib/db/openDb';
import { runs } from '../../lib/db/schema';
import { upsertHardware, upsertModel, createRun } from '../../lib/db/runWriter';
import { markOrphanedRuns } from '../../lib/db/markOrphanedRuns';
import { bootTimeMs, isProcessAlive, processStartTicks } from '../../lib/db/processIdentity';
import { detectHardware, type HardwareFacts } from '../../lib/hardware/detectHardware';
import { makeTempDir } from '../helpers/paths';

const hardware = await detectHardware();
// The same machine model seen from another host sharing the database (a workshop's network drive, a copy).
const elsewhere: HardwareFacts = { ...hardware, hostname: `${os.hostname()}-other`, fingerprint: `${hardware.fingerprint}-other` };

function newRun(db: Db, pid: number, ticks: string | null, machine: HardwareFacts = hardware, startedAt = Date.now()): number {
  const hardwareId = upsertHardware(db, machine);
  const modelId = upsertModel(db, { path: '/m.gguf', fileName: 'm.gguf', name: null, sizeBytes: 1, sha256: 'ab', architecture: null, parameters: null, type: null, contextLength: null, hasChatTemplate: false });
  return createRun(db, { modelId, hardwareId, suite: 'smoke', threads: 1, reps: 1, warmup: 0, contextSize: 64, seed: 1, promptFormat: 'completion', settings: {}, runtime: {}, pid, pidStartTicks: ticks, startedAt });
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

const row = (db: Db, id: number) => db.select({ status: runs.status, endedAt: runs.endedAt }).from(runs).where(eq(runs.id, id)).get();

describe('markOrphanedRuns', () => {
  it('marks runs of dead processes and of reused pids, and leaves live ones alone', () => {
    const db = openDb(path.join(makeTempDir('orphans'), 'a.db'));
    const deadRun = newRun(db, deadPid(), null);
    const liveRun = newRun(db, process.pid, processStartTicks(process.pid));
    const reusedRun = newRun(db, process.pid, '1');
    expect(markOrphanedRuns(db).sort()).toEqual([deadRun, reusedRun].sort());
    expect(row(db, deadRun)?.status).toBe('interrupted');
    expect(row(db, reusedRun)?.status).toBe('interrupted');
    expect(row(db, liveRun)?.status).toBe('running');
    db.$client.close();
  });

  it("leaves another machine's runs alone, even when their pid is dead here", () => {
    const file = path.join(makeTempDir('orphans-shared'), 'shared.db');
    const db = openDb(file);
    const theirs = newRun(db, deadPid(), null, elsewhere);
    const ours = newRun(db, deadPid(), null);
    expect(markOrphanedRuns(db)).toEqual([ours]);
    expect(row(db, theirs)?.status).toBe('running');
    db.$client.close();
    // Opening the shared file for a run (what `wattbench run` does) reconciles the same way.
    openDb(file).$client.close();
    const check = openDb(file, { readonly: true });
    expect(row(check, theirs)?.status).toBe('running');
    check.$client.close();
  });

  it('records the time the process was last seen (its last sample or result), not the time of the check', () => {
    const db = openDb(path.join(makeTempDir('orphans-seen'), 'a.db'));
    const startedAt = Date.now() - 60_000;
    const withSamples = newRun(db, deadPid(), null, hardware, startedAt);
    const insertSample = db.$client.prepare("INSERT INTO samples (run_id, t, phase) VALUES (?, ?, 'measure')");
    for (const t of [startedAt + 1_000, startedAt + 7_500, startedAt + 3_000]) insertSample.run(withSamples, t);
    const bare = newRun(db, deadPid(), null, hardware, startedAt - 5_000);
    markOrphanedRuns(db);
    expect(row(db, withSamples)).toEqual({ status: 'interrupted', endedAt: startedAt + 7_500 });
    expect(row(db, bare)).toEqual({ status: 'interrupted', endedAt: startedAt - 5_000 });
    db.$client.close();
  });

  it.skipIf(!fs.existsSync('/proc/self/stat'))('treats a zombie (exited, not reaped) as dead', async () => {
    // The shell starts `sleep 0` in the background, then becomes `sleep 30`, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
      const state = () => fs.readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0];
      await expect.poll(state, { timeout: 10_000, interval: 20 }).toBe('Z');
      const ticks = processStartTicks(zombie);
      expect(ticks).not.toBeNull();
      expect(isProcessAlive(zombie, ticks)).toBe(false);
      const db = openDb(path.join(makeTempDir('orphans-zombie'), 'a.db'));
      const run = newRun(db, zombie, ticks);
      expect(markOrphanedRuns(db)).toEqual([run]);
      db.$client.close();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it.skipIf(bootTimeMs() === null)('marks a run of this machine started before the last boot, whatever its pid is now', () => {
    const db = openDb(path.join(makeTempDir('orphans-boot'), 'a.db'));
    // Our own live pid and start ticks, but a start time before this boot: ticks count from a previous boot.
    const run = newRun(db, process.pid, processStartTicks(process.pid), hardware, (bootTimeMs() as number) - 60_000);
    expect(markOrphanedRuns(db)).toEqual([run]);
    db.$client.close();
  });
});
