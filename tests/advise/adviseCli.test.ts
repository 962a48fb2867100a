// `wattbench advise` without a profile, and `probe` with a budget too small for a ladder: one line, exit 2,
// nothing written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { queryDb } from '../helpers/queryDb';

const dir = makeTempDir('advise-cli');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('wattbench advise without a profile', () => {
  it('exits 2 with one line telling to run wattbench probe, when the database does not exist', async () => {
    const db = path.join(dir, 'none.db');
    const res = await runCli(['advise', '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/wattbench probe/);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('exits 2 with one line when the database has no profile of this machine', async () => {
    const db = path.join(dir, 'runs.db');
    // A database wattbench created (a probe refused for its budget creates nothing: open it with a real command).
    const made = await runCli(['run', '--model', path.join(dir, 'missing.gguf'), '--db', db]);
    expect(made.code).toBe(2);
    expect(fs.existsSync(db)).toBe(true);
    const res = await runCli(['advise', '--db', db, '--goal', 'energy']);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/no profile of this machine.*wattbench probe/);
    expect(queryDb<{ n: number }>(db, 'select count(*) as n from machine_profiles')[0].n).toBe(0);
  });

  it('rejects an unknown goal in one line', async () => {
    const res = await runCli(['advise', '--goal', 'cheapest', '--db', path.join(dir, 'none.db')]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/speed, energy, largest/);
  });
});

describe('wattbench probe with too small a budget', () => {
  it('exits 2 in one line naming --max-bytes, before forging or writing anything', async () => {
    const db = path.join(dir, 'probe.db');
    const forge = path.join(dir, 'forge');
    const res = await runCli(['probe', '--max-bytes', '50000000', '--db', db], { WATTBENCH_FORGE_DIR: forge });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/--max-bytes \d+/);
    expect(fs.existsSync(db)).toBe(false);
    expect(fs.existsSync(forge)).toBe(false);
  });
});
