// Two first runs on a new database at once: both create the schema, the machine and the model rows, and both succeed.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { REPO_ROOT, STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { queryDb } from '../helpers/queryDb';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'db', 'fixtures', 'openAndRecord.ts');

function openAndRecord(db: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, db], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('concurrent first runs on a new database', () => {
  it('six processes opening a new file and recording the same machine and model all succeed, with one row each', async () => {
    const db = path.join(makeTempDir('concurrent-open'), 'new.db');
    const all = await Promise.all(Array.from({ length: 6 }, () => openAndRecord(db)));
    for (const r of all) expect(r.code, r.stderr).toBe(0);
    const ids = all.map((r) => JSON.parse(r.stdout) as { hardwareId: number; modelId: number });
    expect(new Set(ids.map((i) => `${i.hardwareId}/${i.modelId}`)).size).toBe(1);
    expect(queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM hardware')).toEqual([{ n: 1 }]);
    expect(queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM models')).toEqual([{ n: 1 }]);
  });

  it('two `wattbench run` started at once on a new file both exit 0', async () => {
    const db = path.join(makeTempDir('concurrent-runs'), 'new.db');
    const args = ['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--max-tokens', '8', '--threads', '1', '--idle-seconds', '0', '--db', db, '--json'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const rows = queryDb<{ status: string; hardware_id: number; model_id: number }>(db, 'SELECT status, hardware_id, model_id FROM runs ORDER BY id');
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.status === 'completed')).toBe(true);
    expect(new Set(rows.map((r) => `${r.hardware_id}/${r.model_id}`)).size).toBe(1);
  }, 240_000);
});
