// The workshop on a real PostgreSQL (a throwaway cluster, tests/helpers/postgres.ts): `wattbench workshop
// --database-url` creates the workshop there and its Next server reads and writes it; a participant joins with
// its own SQLite file, downloads the model, runs, publishes; the upload is stored once in PostgreSQL (a second
// copy answers duplicate, a wrong token 401 with nothing stored), and the room's board and page show it. The
// database password never appears in the leader's output.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT, STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { describePostgres, startPostgres, type PostgresCluster } from '../helpers/postgres';
import { waitFor } from '../helpers/waitFor';
import { E2E_CLI, freePort, runCli } from './harness';
import { openDb } from '../../lib/db/openDb';
import { buildRunUpload } from '../../lib/workshop/runUpload';
import { clientIdOf } from '../../lib/workshop/client/uploadQueue';

const SUITE = path.join(REPO_ROOT, 'tests', 'fixtures', 'suites', 'quality-mini.json');

describePostgres('wattbench workshop on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let leader: ChildProcess;
  let out = '';
  let port = 0;
  let code = '';
  let token = '';
  const dir = makeTempDir('e2e-workshop-pg');

  const base = () => `http://127.0.0.1:${port}`;
  async function count(table: string): Promise<number> {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      return Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    cluster = await startPostgres('wattbench_workshop');
    port = await freePort();
    leader = spawn(process.execPath, [E2E_CLI, 'workshop', '--name', 'Lab B', '--model', STORIES_MODEL, '--suite', SUITE, '--port', String(port), '--database-url', cluster.url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, NO_COLOR: '1' },
    });
    leader.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    leader.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const banner = await waitFor('the join link in the banner', () => {
      if (leader.exitCode !== null) throw new Error(`the leader exited (${leader.exitCode}): ${out}`);
      return /npx wattbench join http:\/\/\S+\/([A-Z2-9]{6})#([A-Za-z0-9_-]+)/.exec(out);
    }, { timeoutMs: 400_000, everyMs: 250 });
    code = banner[1];
    token = banner[2];
  }, 600_000);

  afterAll(async () => {
    try {
      if (leader?.pid) process.kill(-leader.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await cluster?.stop();
  });

  it('stores a participant\'s run once in PostgreSQL and shows it on the room\'s board and page', { timeout: 600_000 }, async () => {
    expect(out).not.toContain(cluster.password);
    expect(await count('workshops')).toBe(1);

    const db = path.join(dir, 'participant.db');
    const joined = await runCli(['join', `${base()}/${code}#${token}`, '--yes', '--threads', '1', '--nickname', 'pg-laptop', '--db', db, '--cache-dir', path.join(dir, 'cache')], 300_000);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.stdout).toMatch(new RegExp(`Published run \\d+ to ${base().replace(/\./g, '\\.')}/${code} as pg-laptop`));
    expect(await count('workshop_runs')).toBe(1);
    const results = await count('results');
    expect(results).toBeGreaterThan(0);

    // The same run again: stored once. A wrong token: refused, nothing stored.
    const local = openDb(db, { recoverOrphans: false });
    let body: string;
    try {
      const runId = local.$client.prepare('SELECT id FROM runs').get() as { id: number };
      body = JSON.stringify(buildRunUpload(local, runId.id, { clientId: clientIdOf(local), nickname: 'pg-laptop' }));
    } finally {
      local.$client.close();
    }
    const post = (bearer: string) => fetch(`${base()}/api/workshops/${code}/runs`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` } });
    const again = await post(token);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    const wrong = await post(`${token}x`);
    expect(wrong.status).toBe(401);
    expect(await count('workshop_runs')).toBe(1);
    expect(await count('results')).toBe(results);

    const board = (await (await fetch(`${base()}/api/workshops/${code}/leaderboard`)).json()) as { leaderboard: Array<{ nickname: string; genTokensPerSec: number; energyLabel: string }> };
    expect(board.leaderboard.map((e) => e.nickname)).toEqual(['pg-laptop']);
    expect(board.leaderboard[0].genTokensPerSec).toBeGreaterThan(0);
    expect(board.leaderboard[0].energyLabel).toMatch(/estimated|measured/);
    const page = await fetch(`${base()}/${code}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('pg-laptop');
  });
});
