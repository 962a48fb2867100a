// The participant's outbox with real processes: a run published to a leader that is not there is stored, and
// its upload queued (not lost); `share --pending` and the next `join` retry it, and it stays queued while the
// leader is still away.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, STORIES_MODEL, makeTempDir } from '../../helpers/paths';
import { runCli } from '../../helpers/runCli';
import { queryDb } from '../../helpers/queryDb';
import { openDb } from '../../../lib/db/openDb';
import { rankInRoom, runFigures } from '../../../lib/workshop/client/rankInRoom';

const SUITE = path.join(REPO_ROOT, 'tests', 'fixtures', 'suites', 'quality-mini.json');
const TOKEN = 't'.repeat(43);

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let dir = '';
let port = 0;
beforeAll(async () => {
  dir = makeTempDir('upload-queue');
  port = await closedPort();
});

interface ShareRow {
  runId: number;
  status: string;
  attempts: number;
  serverUrl: string;
  code: string;
  clientId: string;
  nickname: string;
  lastError: string | null;
}
const shares = (db: string) =>
  queryDb<ShareRow>(db, 'SELECT run_id AS runId, status, attempts, server_url AS serverUrl, code, client_id AS clientId, nickname, last_error AS lastError FROM run_shares');

describe('the upload queue', () => {
  it('stores the run and queues its upload when the leader is out of reach; share --pending and join retry it', { timeout: 600_000 }, async () => {
    const db = path.join(dir, 'p.db');
    const run = await runCli(['run', '--model', STORIES_MODEL, '--suite', SUITE, '--reps', '1', '--threads', '1', '--idle-seconds', '0', '--db', db, '--share', `http://127.0.0.1:${port}/ABC234#${TOKEN}`, '--nickname', 'quiet-otter']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/Queued run \d+ for http:\/\/127\.0\.0\.1:\d+\/ABC234: cannot reach the leader at .*\(ECONNREFUSED\); it is kept here and retried/);
    const runs = queryDb<{ id: number; status: string }>(db, 'SELECT id, status FROM runs');
    expect(runs).toEqual([{ id: runs[0].id, status: 'completed' }]);
    const [row] = shares(db);
    expect(row).toMatchObject({ runId: runs[0].id, status: 'pending', attempts: 1, serverUrl: `http://127.0.0.1:${port}`, code: 'ABC234', nickname: 'quiet-otter' });
    expect(row.clientId).toMatch(/^[0-9a-f-]{36}$/);

    // Where it would rank, from its stored figures: first of one in an empty room, by every figure it has.
    const handle = openDb(db);
    const figures = runFigures(handle, runs[0].id);
    handle.$client.close();
    expect(figures?.genTokensPerSec).toBeGreaterThan(0);
    expect(figures?.joulesPerToken).toBeGreaterThan(0);
    const ranks = rankInRoom({ leaderboard: [] }, figures!);
    expect(ranks.map((r) => r.key)).toEqual(expect.arrayContaining(['tps', 'jPerToken']));
    expect(ranks.every((r) => r.position === 1 && r.of === 1)).toBe(true);

    const retry = await runCli(['share', '--pending', '--db', db]);
    expect(retry.code).toBe(1);
    expect(retry.stdout).toMatch(/Queued run/);
    expect(retry.stderr).toMatch(/1 of 1 upload not stored/);
    expect(shares(db)[0]).toMatchObject({ status: 'pending', attempts: 2, clientId: row.clientId });

    // The next join retries the queue before it asks the (still absent) leader for the workshop.
    const join = await runCli(['join', `http://127.0.0.1:${port}/ABC234#${TOKEN}`, '--yes', '--db', db, '--cache-dir', path.join(dir, 'cache')]);
    expect(join.code).toBe(1);
    expect(join.stderr).toMatch(/cannot reach the leader at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(shares(db)[0]).toMatchObject({ status: 'pending', attempts: 3 });
  });

  it('refuses bad input in one line before any work', { timeout: 300_000 }, async () => {
    const db = path.join(dir, 'bad.db');
    const noToken = await runCli(['run', '--model', STORIES_MODEL, '--db', db, '--share', `http://127.0.0.1:${port}/ABC234`]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/--share needs the upload token/);
    const tokenAlone = await runCli(['run', '--model', STORIES_MODEL, '--db', db, '--token', TOKEN]);
    expect(tokenAlone.code).toBe(2);
    const badLink = await runCli(['join', 'http://127.0.0.1/nope', '--db', db]);
    expect(badLink.code).toBe(2);
    expect(badLink.stderr).toMatch(/6-character code/);
    const noPending = await runCli(['share', '--db', db]);
    expect(noPending.code).toBe(2);
    // A PostgreSQL URL where nothing listens: one line naming the address and the fix, and no SQLite file either.
    const pg = await runCli(['workshop', '--model', STORIES_MODEL, '--database-url', `postgres://wattbench:secret@127.0.0.1:${port}/x`]);
    expect(pg.code).toBe(2);
    expect(pg.stderr).toMatch(new RegExp(`^error: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port} \\(connection refused\\): start the server`, 'm'));
    expect(pg.stderr).not.toMatch(/secret/);
    expect(fs.existsSync(db)).toBe(false);
  });
});
