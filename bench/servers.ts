// Benchmark (not a test): wattbench against a real llama-server, and wattbench's own runner, on the same model.
// Builds llama.cpp's `llama-server` once, offline, from the llama.cpp source node-llama-cpp ships (into
// tmp/llama.cpp, as bench/fidelity.ts does for llama-bench; about 10 minutes on 2 cores the first time), starts
// it on the model, runs each suite through `wattbench run --endpoint` and through `wattbench run --model`, and
// prints the client-timed figures beside the server-timed ones (llama-server's `timings`).
//   npx tsx bench/servers.ts [--model file.gguf] [--suite smoke,quality] [--threads 1] [--reps 3]
//                            [--llama-server path/to/llama-server] [--db tmp/servers.db]
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { formatNumber } from '../lib/format/numbers';
import { serverFigures } from '../lib/endpoint/serverFigures';
import type { RunRecord } from '../lib/records/getRunRecord';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.join(ROOT, 'tests', 'fixtures', 'models', 'stories260K.gguf') },
    suite: { type: 'string', default: 'smoke,quality' },
    threads: { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    'llama-server': { type: 'string' },
    'llama-src': { type: 'string', default: path.join(ROOT, 'tmp', 'llama.cpp') },
    db: { type: 'string', default: path.join(ROOT, 'tmp', 'servers.db') },
  },
});

/** Builds llama-server from the bundled llama.cpp source unless a binary is given or already built. */
function llamaServerBinary(): string {
  if (values['llama-server']) return path.resolve(values['llama-server']);
  const src = path.resolve(values['llama-src']!);
  const binary = path.join(src, 'build', 'bin', 'llama-server');
  if (fs.existsSync(binary)) return binary;
  const bundle = path.join(ROOT, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');
  process.stderr.write(`Building llama-server from ${path.relative(ROOT, bundle)} into ${path.relative(ROOT, src)}/build (about 10 minutes on 2 cores, once)…\n`);
  if (!fs.existsSync(src)) execFileSync('git', ['clone', '--quiet', bundle, src], { stdio: 'inherit' });
  // The flags of bench/fidelity.ts's llama-bench build, with the server on (and no TLS: loopback only).
  const flags = ['-DCMAKE_BUILD_TYPE=Release', '-DLLAMA_CURL=OFF', '-DLLAMA_OPENSSL=OFF', '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF', '-DLLAMA_BUILD_SERVER=ON', '-DGGML_NATIVE=ON'];
  execFileSync('cmake', ['-S', src, '-B', path.join(src, 'build'), ...flags], { stdio: 'ignore' });
  execFileSync('cmake', ['--build', path.join(src, 'build'), '--target', 'llama-server', '-j', String(os.availableParallelism())], { stdio: 'inherit' });
  return binary;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, deadlineMs: number, gone: () => boolean): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!gone()) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`llama-server at ${url} not healthy after ${deadlineMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('llama-server exited before it was ready');
}

/** Asynchronous, so this process keeps draining llama-server's log meanwhile (a full pipe would stall the server). */
async function wattbench(args: string[]): Promise<RunRecord | string> {
  try {
    const { stdout: out } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bench', 'wattbench.cjs'), ...args, '--json', '--db', values.db!], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return JSON.parse(out) as RunRecord;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return (e.stderr ?? e.message).trim().split('\n')[0];
  }
}

const model = path.resolve(values.model!);
const threads = values.threads!;
const reps = values.reps!;
const binary = llamaServerBinary();
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
fs.mkdirSync(path.dirname(values.db!), { recursive: true });
const server = spawn(binary, ['-m', model, '--host', '127.0.0.1', '--port', String(port), '-t', threads, '-tb', threads, '-np', '1', '-c', '2048', '--no-webui'], { stdio: ['ignore', 'ignore', 'pipe'] });
let serverLog = '';
let finished = false;
const spawnFailed = new Promise<never>((_, reject) => server.once('error', (err) => reject(new Error(`cannot start ${binary}: ${err.message}`))));
spawnFailed.catch(() => undefined);
server.stderr?.on('data', (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-4000)));
try {
  await Promise.race([
    spawnFailed,
    waitHealthy(url, 120_000, () => finished || server.exitCode !== null).catch((err: Error) => {
      throw new Error(`${err.message}\n${serverLog}`);
    }),
  ]);
  const served = ((await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> }).data[0].id;
  const rows: string[][] = [];
  const fmt = (x: number | null | undefined, unit: string) => (x === null || x === undefined ? '—' : `${formatNumber(x, 'en')} ${unit}`);
  for (const suite of values.suite!.split(',')) {
    const common = ['--suite', suite, '--reps', reps, '--warmup', '1', '--idle-seconds', '0'];
    const viaServer = await wattbench(['run', '--endpoint', url, '--model', served, ...common]);
    const own = await wattbench(['run', '--model', model, '--threads', threads, ...common]);
    for (const [side, rec] of [['llama-server (client-timed)', viaServer], ['wattbench runner', own]] as const) {
      if (typeof rec === 'string') {
        rows.push([suite, side, `failed: ${rec}`, '', '', '', '']);
        continue;
      }
      const figures = side.startsWith('llama-server') ? serverFigures(rec.results) : null;
      rows.push([
        suite,
        side,
        fmt(rec.summary.genTokensPerSec?.mean, 'tok/s'),
        fmt(figures?.genTokensPerSec?.mean, 'tok/s'),
        fmt(rec.summary.promptTokensPerSec?.mean, 'tok/s'),
        fmt(figures?.promptTokensPerSec?.mean, 'tok/s'),
        fmt(rec.summary.ttftMs?.mean, 'ms'),
      ]);
    }
  }
  const header = ['suite', 'side', 'gen (client)', 'gen (server-timed)', 'prompt (client)', 'prompt (server-timed)', 'TTFT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const print = (r: string[]) => process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
  process.stdout.write(`${path.basename(model)} · ${threads} thread(s) · ${reps} reps · llama-server ${binary}\n`);
  print(header);
  rows.forEach(print);
  process.stdout.write('Client-timed: chunk arrivals in wattbench, tokens from the server\'s usage. Server-timed: llama-server\'s timings (predicted_n / predicted_ms, prompt_n / prompt_ms).\n');
} catch (err) {
  process.stderr.write(`servers: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  finished = true;
  server.kill('SIGTERM');
}
