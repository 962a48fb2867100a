// A workshop on this machine, every part real: a leader (`wattbench workshop`: its Next server on a free port,
// its own database) and two participants (`wattbench join … --yes`, their own databases and cache folders) that
// download the model from the leader, run the suite, publish; the room's page in Chromium shows both; a third,
// on a real terminal, is asked before publishing and says no. Then what
// must not get in: a missing or wrong token, a malformed and an oversized upload; and the leader killed while an
// upload is in flight (held by a proxy in between, so the kill lands mid-body every time): nothing half-written,
// the upload queued, retried by `share --pending` against the leader restarted on the same database, stored once.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { queryDb } from '../helpers/queryDb';
import { waitFor } from '../helpers/waitFor';
import { E2E_CLI, VIEWPORT, freePort, launchBrowser, runCli, watchErrors } from './harness';
import { openDb } from '../../lib/db/openDb';
import { buildRunUpload } from '../../lib/workshop/runUpload';
import { sha256File } from '../../lib/model/sha256File';

const SUITE = path.join(REPO_ROOT, 'tests', 'fixtures', 'suites', 'quality-mini.json');

interface Leader {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
  /** SIGKILL (or SIGTERM) to its whole process group: the CLI and its Next server. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts a CLI command in its own process group (so its Next server dies with it). */
function startGroup(args: string[]): Leader {
  const child = spawn(process.execPath, [E2E_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    stdout: () => out,
    exited,
    kill(signal) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    },
  };
}

/**
 * A TCP proxy between a participant and the leader. While `hold` is set, it forwards a request's first bytes
 * (its headers and a little of the body), keeps the rest, and resolves `inFlight`: the upload has started and
 * cannot have finished. Otherwise it forwards everything.
 */
/** Bytes of a held request that reach the leader: its headers and the start of the body, never the whole upload. */
const HELD_AFTER = 1024;

function startProxy(upstreamPort: number) {
  let hold = false;
  let signalInFlight: () => void = () => {};
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    let forwarded = 0;
    const holding = hold;
    client.on('data', (chunk: Buffer) => {
      if (!holding) {
        upstream.write(chunk);
        return;
      }
      const room = Math.max(0, HELD_AFTER - forwarded);
      if (room > 0) {
        upstream.write(chunk.subarray(0, room), () => {
          if (forwarded >= HELD_AFTER) signalInFlight();
        });
        forwarded += Math.min(room, chunk.length);
      }
    });
  });
  return {
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))),
    holdNext(): Promise<void> {
      hold = true;
      return new Promise<void>((resolve) => (signalInFlight = () => {
        hold = false;
        resolve();
      }));
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
    }),
  };
}

let dir = '';
let port = 0;
let leader: Leader | null = null;
let restarted: Leader | null = null;
let browser: Browser;
let link = '';
let code = '';
let token = '';
const leaderDb = () => path.join(dir, 'leader.db');

function count(table: string): number {
  return queryDb<{ n: number }>(leaderDb(), `SELECT count(*) AS n FROM ${table}`)[0].n;
}

async function startLeader(args: string[]): Promise<Leader> {
  const l = startGroup(args);
  await waitFor('the leader to answer', async () => {
    if (l.child.exitCode !== null) throw new Error(`the leader exited (${l.child.exitCode}): ${l.stdout()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/live`);
      await res.arrayBuffer();
      return res.status < 500;
    } catch {
      return false;
    }
  }, { timeoutMs: 400_000, everyMs: 250 });
  return l;
}

beforeAll(async () => {
  dir = makeTempDir('e2e-workshop');
  port = await freePort();
  leader = await startLeader(['workshop', '--name', 'Salle 101', '--model', STORIES_MODEL, '--suite', SUITE, '--port', String(port), '--db', leaderDb()]);
  const banner = await waitFor('the join link in the banner', () => /npx wattbench join (http:\/\/\S+\/([A-Z2-9]{6})#([A-Za-z0-9_-]+))/.exec(leader!.stdout()));
  code = banner[2];
  token = banner[3];
  // The banner's address is a LAN one; the test joins through loopback, which the leader answers too.
  link = `http://127.0.0.1:${port}/${code}#${token}`;
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  leader?.kill('SIGKILL');
  restarted?.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('wattbench workshop', () => {
  it('says it is reachable on the local network and prints the join command, a QR code and the projector page', () => {
    const out = leader!.stdout();
    expect(out).toMatch(/Reachable on the local network/);
    expect(out).toMatch(/LAN address/);
    expect(out).toMatch(new RegExp(`Projector page .*http://127\\.0\\.0\\.1:${port}/${code}/projector#http`));
    expect(out).toMatch(/[▀▄█]{10,}/); // the QR code, in half blocks
  });

  it('two participants download the model from the leader, run the suite and publish; the room page shows both', { timeout: 600_000 }, async () => {
    const participants = ['one', 'two'].map((name) => ({ name, db: path.join(dir, `${name}.db`), cache: path.join(dir, `cache-${name}`) }));
    const results = await Promise.all(
      participants.map((p) => runCli(['join', link, '--yes', '--threads', '1', '--nickname', `laptop-${p.name}`, '--db', p.db, '--cache-dir', p.cache], 300_000)),
    );
    const sha = await sha256File(STORIES_MODEL);
    for (const [i, r] of results.entries()) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Joined workshop Salle 101/);
      expect(r.stdout).toMatch(new RegExp(`Published run \\d+ to http://127\\.0\\.0\\.1:${port}/${code} as laptop-${participants[i].name}`));
      const file = path.join(participants[i].cache, sha, 'stories260K.gguf');
      expect(await sha256File(file)).toBe(sha);
      // Stored locally first, and the outbox says it was sent.
      expect(queryDb<{ status: string }>(participants[i].db, 'SELECT status FROM run_shares')).toEqual([{ status: 'sent' }]);
      expect(queryDb<{ status: string }>(participants[i].db, 'SELECT status FROM runs')).toEqual([{ status: 'completed' }]);
    }
    expect(count('workshop_runs')).toBe(2);

    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors = watchErrors(page);
    await page.goto(`http://127.0.0.1:${port}/${code}`, { waitUntil: 'networkidle' });
    await page.getByText('laptop-one').first().waitFor();
    await page.getByText('laptop-two').first().waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks before publishing on a terminal; "n" keeps the run on this machine only', { timeout: 600_000 }, async () => {
    // util-linux `script` gives join a real pseudo-terminal, so it asks; the answer goes in through the terminal.
    const db = path.join(dir, 'asked.db');
    const before = count('workshop_runs');
    const command = [process.execPath, E2E_CLI, 'join', link, '--threads', '1', '--nickname', 'laptop-asked', '--db', db, '--cache-dir', path.join(dir, 'cache-asked')].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor('the publish question', () => {
      if (child.exitCode !== null) throw new Error(`join exited (${child.exitCode}) before asking: ${out}`);
      return /Publish your result to the room as laptop-asked\? \[Y\/n\]/.test(out);
    }, { timeoutMs: 300_000, everyMs: 100 });
    child.stdin!.write('n\r');
    expect(await closed).toBe(0);
    expect(out).toMatch(/would rank #\d+ of \d+ by/);
    expect(out).toMatch(/Not published; it stays in /);
    expect(queryDb<{ status: string }>(db, 'SELECT status FROM runs')).toEqual([{ status: 'completed' }]);
    expect(queryDb(db, 'SELECT * FROM run_shares')).toEqual([]);
    expect(count('workshop_runs')).toBe(before);
  });

  it('refuses an upload without the token or with a wrong one (401), and stores nothing', { timeout: 600_000 }, async () => {
    const before = count('runs');
    const body = JSON.stringify({ uploadVersion: 1 });
    for (const authorization of [undefined, `Bearer ${'x'.repeat(43)}`]) {
      const res = await fetch(`http://127.0.0.1:${port}/api/workshops/${code}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/token/i);
    }
    // A participant with a wrong token is told in one line, and the upload is not queued for retries.
    const db = path.join(dir, 'wrong-token.db');
    const wrong = await runCli(['run', '--model', STORIES_MODEL, '--suite', SUITE, '--reps', '1', '--threads', '1', '--idle-seconds', '0', '--db', db, '--share', `http://127.0.0.1:${port}/${code}#${'y'.repeat(43)}`], 300_000);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/Refused: the leader at .* did not accept run \d+ \(HTTP 401: .*\); it will not be retried — check the token/);
    expect(queryDb<{ status: string }>(db, 'SELECT status FROM run_shares')).toEqual([{ status: 'rejected' }]);
    const retry = await runCli(['share', '--pending', '--db', db]);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toMatch(/No queued uploads/);
    expect(count('runs')).toBe(before);
  });

  it('answers a malformed upload 400 and an oversized one 413, and stores nothing', async () => {
    const before = count('runs');
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/api/workshops/${code}/runs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    const malformed = await post(JSON.stringify({ uploadVersion: 1, run: { status: 'completed' } }));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).not.toMatch(/\n/);
    const notJson = await post('{ not json');
    expect(notJson.status).toBe(400);
    const oversized = await post(JSON.stringify({ uploadVersion: 1, padding: 'x'.repeat(5 * 2 ** 20) }));
    expect(oversized.status).toBe(413);
    expect(((await oversized.json()) as { error: string }).error).toMatch(/MiB/);
    expect(count('runs')).toBe(before);
  });

  it('keeps nothing half-written when the leader dies mid-upload; the queued upload is stored once after a restart', { timeout: 600_000 }, async () => {
    // A third participant's completed run, stored locally.
    const third = path.join(dir, 'three.db');
    const local = await runCli(['run', '--model', STORIES_MODEL, '--suite', SUITE, '--reps', '1', '--threads', '1', '--idle-seconds', '0', '--db', third, '--json'], 300_000);
    expect(local.code, local.stderr).toBe(0);
    const runId = (JSON.parse(local.stdout) as { id: number }).id;

    const proxy = startProxy(port);
    const proxyPort = await proxy.listen();
    const tables = ['runs', 'results', 'energy', 'samples', 'workshop_runs', 'hardware', 'models'];
    const before = Object.fromEntries(tables.map((t) => [t, count(t)]));

    // The upload starts through the proxy, which holds its body; the leader is killed while it waits for the rest.
    const inFlight = proxy.holdNext();
    const pushed = runCli(['run', '--model', STORIES_MODEL, '--suite', SUITE, '--reps', '1', '--threads', '1', '--idle-seconds', '0', '--db', third, '--share', `http://127.0.0.1:${proxyPort}/${code}#${token}`, '--nickname', 'laptop-three'], 300_000);
    await inFlight;
    leader!.kill('SIGKILL');
    await leader!.exited;
    const queued = await pushed;
    expect(queued.code).toBe(1);
    expect(queued.stdout).toMatch(/Queued run \d+ for .*retried by the next `wattbench join` or `wattbench share --pending`/);
    const rows = queryDb<{ runId: number; status: string; attempts: number }>(third, 'SELECT run_id AS runId, status, attempts FROM run_shares');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(rows[0].runId).not.toBe(runId); // the run --share made, not the earlier local one
    expect(queryDb<{ ok: string }>(leaderDb(), 'PRAGMA integrity_check')[0]).toEqual({ integrity_check: 'ok' });
    expect(Object.fromEntries(tables.map((t) => [t, count(t)]))).toEqual(before);

    // The leader again, on the same database (the workshop and its token are stored there).
    restarted = await startLeader(['serve', '--port', String(port), '--db', leaderDb()]);
    const retried = await runCli(['share', '--pending', '--db', third]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(/Published run \d+ .* as laptop-three/);
    expect(count('workshop_runs')).toBe(before.workshop_runs + 1);
    expect(count('runs')).toBe(before.runs + 1);

    // The same run again (as if the answer had been lost): the leader says it has it, and stores nothing new.
    const db = openDb(third);
    const clientId = queryDb<{ c: string }>(third, 'SELECT client_id AS c FROM run_shares')[0].c;
    const upload = JSON.stringify(buildRunUpload(db, rows[0].runId, { clientId, nickname: 'laptop-three' }));
    db.$client.close();
    const again = await fetch(`http://127.0.0.1:${port}/api/workshops/${code}/runs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: upload });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(count('workshop_runs')).toBe(before.workshop_runs + 1);
    expect(count('runs')).toBe(before.runs + 1);
    await proxy.close();
  });
});
