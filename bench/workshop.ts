// How long a room takes to ingest: N simulated participants (default 30) upload real run records at once to a
// real leader (`wattbench workshop` on a free port, its own database). One real run of a tiny model is made
// first; each participant uploads it under its own client id (so each is a distinct run for the leader).
// Prints the time per upload (median, p95), the total wall time and uploads/s. A benchmark, not a test.
// Usage: npx tsx bench/workshop.ts [--participants 30] [--model tests/fixtures/models/stories260K.gguf]
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDb } from '../lib/db/openDb';
import { buildRunUpload } from '../lib/workshop/runUpload';
import { quantile } from '../lib/stats/summarize';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bench', 'wattbench.cjs');
const { values } = parseArgs({ options: { participants: { type: 'string', default: '30' }, model: { type: 'string', default: path.join(root, 'tests', 'fixtures', 'models', 'stories260K.gguf') } } });
const participants = Number(values.participants);
if (!Number.isInteger(participants) || participants < 1 || participants > 1000) {
  process.stderr.write('--participants must be a whole number from 1 to 1000\n');
  process.exit(2);
}
const suite = path.join(root, 'tests', 'fixtures', 'suites', 'quality-mini.json');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattbench-workshop-bench-'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// One real run, as a participant's database holds it.
const source = path.join(dir, 'participant.db');
const run = spawnSync(process.execPath, [cli, 'run', '--model', values.model!, '--suite', suite, '--reps', '1', '--threads', '1', '--db', source, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (run.status !== 0) throw new Error(`the source run failed (exit ${run.status})`);
const runId = (JSON.parse(run.stdout) as { id: number }).id;
const db = openDb(source);
const bodies = Array.from({ length: participants }, (_, i) => JSON.stringify(buildRunUpload(db, runId, { clientId: randomUUID(), nickname: `simulated-${i + 1}` })));
db.$client.close();

// The leader, in its own process group so that its Next server stops with it.
const port = await freePort();
const leader = spawn(process.execPath, [cli, 'workshop', '--name', 'Ingest benchmark', '--model', values.model!, '--suite', suite, '--port', String(port), '--db', path.join(dir, 'leader.db')], {
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
  env: { ...process.env, NO_COLOR: '1' },
});
const stopLeader = () => {
  try {
    process.kill(-leader.pid!, 'SIGTERM');
  } catch {
    // Already gone.
  }
};
process.on('exit', stopLeader);
let banner = '';
const link = await new Promise<string>((resolve, reject) => {
  leader.stdout!.on('data', (d: Buffer) => {
    banner += d.toString();
    const m = /npx wattbench join http:\/\/[^/\s]+:\d+\/([A-Z0-9]{6})#([A-Za-z0-9_-]+)/.exec(banner);
    if (m) resolve(`http://127.0.0.1:${port}/${m[1]}#${m[2]}`);
  });
  leader.once('exit', (code) => reject(new Error(`the leader exited (${code}) before printing its join link`)));
});
const url = new URL(link);
const code = url.pathname.slice(1);
const token = url.hash.slice(1);

const started = performance.now();
const outcomes = await Promise.all(
  bodies.map(async (body) => {
    const t0 = performance.now();
    const res = await fetch(`${url.origin}/api/workshops/${code}/runs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  }),
);
const wallMs = performance.now() - started;
stopLeader();

const stored = outcomes.filter((o) => o.status === 201);
const ms = outcomes.map((o) => o.ms);
const byStatus = Object.entries(outcomes.reduce<Record<number, number>>((acc, o) => ((acc[o.status] = (acc[o.status] ?? 0) + 1), acc), {}))
  .map(([s, n]) => `${n} × ${s}`)
  .join(', ');
const kib = (bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / participants / 1024).toFixed(0);
console.log(`workshop ingest: ${participants} simulated participants, one real run record each (${kib} KiB per upload), ${os.cpus().length} CPUs`);
console.log(`  answers: ${byStatus}`);
console.log(`  per upload: median ${quantile(ms, 0.5).toFixed(0)} ms, p95 ${quantile(ms, 0.95).toFixed(0)} ms`);
console.log(`  all of them: ${(wallMs / 1000).toFixed(2)} s wall, ${(stored.length / (wallMs / 1000)).toFixed(1)} uploads/s stored`);
fs.rmSync(dir, { recursive: true, force: true });
