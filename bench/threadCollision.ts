// Benchmark (not a test): why generation through Node slows down when llama.cpp's threads fill every core, and
// what OpenMP's wait policy does about it. Each variant runs in its own process (OpenMP reads its settings when
// the library loads), variants interleaved over several rounds so that drift on a shared machine cancels out.
// Every variant runs with libuv's default pool of 4 threads (as node-llama-cpp alone would), except the last,
// which has the CLI's pool of one (bench/wattbench.cjs): one OpenMP team for every decode.
//   npx tsx bench/threadCollision.ts [--model FILE] [--threads 2] [--rounds 3] [--loop node-llama-cpp|native]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadLlama, setLlamaLog } from '../lib/runner/loadLlama';
import { printLlamaLine } from './output/printError';
import { measureRepetition } from '../lib/runner/measureRepetition';
import { buildPromptTokens } from '../lib/runner/buildPromptTokens';
import { describeEngine } from '../lib/engine/describeEngine';
import { quantile } from '../lib/stats/summarize';
import { formatNumber } from '../lib/format/numbers';
import { formatTable } from './output/formatTable';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.join(ROOT, 'tests', 'fixtures', 'models', 'stories260K.gguf') },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    rounds: { type: 'string', default: '3' },
    loop: { type: 'string', default: 'node-llama-cpp' },
    worker: { type: 'boolean', default: false },
  },
});

/** The variants: the binary (prebuilt: ggml's own thread pool; local build: OpenMP), OpenMP's wait settings, and libuv's pool. */
const DEFAULT_POOL = { UV_THREADPOOL_SIZE: '4' };
const VARIANTS: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'prebuilt (ggml thread pool)', env: { ...DEFAULT_POOL, WATTBENCH_ENGINE: 'prebuilt' } },
  { name: 'local build, OpenMP defaults', env: { ...DEFAULT_POOL } },
  { name: 'local build, OMP_WAIT_POLICY=active', env: { ...DEFAULT_POOL, OMP_WAIT_POLICY: 'active' } },
  { name: 'local build, OMP_WAIT_POLICY=passive', env: { ...DEFAULT_POOL, OMP_WAIT_POLICY: 'passive' } },
  { name: 'local build, GOMP_SPINCOUNT=10000', env: { ...DEFAULT_POOL, GOMP_SPINCOUNT: '10000' } },
  { name: 'local build, GOMP_SPINCOUNT=100000', env: { ...DEFAULT_POOL, GOMP_SPINCOUNT: '100000' } },
  { name: 'local build, OpenMP defaults, one libuv thread (the CLI)', env: { UV_THREADPOOL_SIZE: '1' } },
];

async function worker(): Promise<void> {
  const threads = Number(values.threads);
  setLlamaLog(printLlamaLine);
  const llama = await loadLlama();
  const model = await llama.loadModel({ modelPath: path.resolve(values.model!), gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 1024, threads });
  const sequence = context.getSequence();
  const plan = { format: 'completion' as const, chatWrapper: null };
  const synthetic = (promptTokens: number, maxTokens: number) =>
    buildPromptTokens(model, { id: 'x', title: 'x', lang: 'en', task: 'x', kind: 'synthetic', promptTokens, maxTokens, ignoreEos: true }, plan, 42);
  const pp = synthetic(512, 1);
  const tg = synthetic(1, 128);
  const run = (tokens: typeof pp, maxTokens: number) => measureRepetition({ model, sequence, tokens, maxTokens, ignoreEos: true, temperature: 0, seed: 42 });
  await run(pp, 1);
  const ppS: number[] = [];
  const tgS: number[] = [];
  for (let i = 0; i < 5; i++) {
    ppS.push((await run(pp, 1)).promptTokensPerSec);
    tgS.push((await run(tg, 128)).genTokensPerSec ?? 0);
  }
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ engine: describeEngine(llama).kind, pp: quantile(ppS, 0.5), tg: quantile(tgS, 0.5), cpuS: (cpu.user + cpu.system) / 1e6 })}\n`);
  await context.dispose();
  await model.dispose();
}

function main(): void {
  const rounds = Number(values.rounds);
  const results = new Map<string, { pp: number[]; tg: number[] }>();
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const child = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), SELF, '--worker', '--model', values.model!, '--threads', values.threads!], {
        encoding: 'utf8',
        env: { ...process.env, WATTBENCH_GENERATION_LOOP: values.loop!, ...v.env },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const out = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { pp: number; tg: number };
      const acc = results.get(v.name) ?? { pp: [], tg: [] };
      acc.pp.push(out.pp);
      acc.tg.push(out.tg);
      results.set(v.name, acc);
    }
  }
  console.log(`${path.basename(values.model!)} · ${values.threads} threads on ${os.availableParallelism()} CPUs · ${values.loop} generation loop · median of ${rounds} processes × 5 repetitions`);
  console.log(
    formatTable([...results.entries()], [
      { header: 'VARIANT', value: ([name]) => name },
      { header: 'PP512 (tok/s)', value: ([, r]) => formatNumber(quantile(r.pp, 0.5), 'en'), align: 'right' },
      { header: 'TG128 (tok/s)', value: ([, r]) => formatNumber(quantile(r.tg, 0.5), 'en'), align: 'right' },
    ]),
  );
}

if (values.worker) await worker();
else main();
