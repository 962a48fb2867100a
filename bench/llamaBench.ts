// Benchmark (not a test): wattbench's own pp512/tg128 figures beside llama.cpp's llama-bench on the same model
// and thread counts, measured in one run. llama-bench is built offline from the llama.cpp source that
// node-llama-cpp ships (node_modules/node-llama-cpp/llama/gitRelease.bundle), once, into tmp/llama.cpp.
//   npx tsx bench/llamaBench.ts [--model FILE] [--threads 1,2] [--reps 5] [--llama-bench PATH]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadLlama } from '../lib/runner/loadLlama';
import { measureRepetition } from '../lib/runner/measureRepetition';
import { buildPromptTokens } from '../lib/runner/buildPromptTokens';
import { summarize, type MetricSummary } from '../lib/stats/summarize';
import type { SuitePrompt } from '../lib/suites/suiteSchema';
import { formatNumber } from './output/formatNumber';
import { formatTable } from './output/formatTable';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.join(ROOT, 'tests', 'fixtures', 'models', 'stories260K.gguf') },
    threads: { type: 'string', default: '1,2' },
    reps: { type: 'string', default: '5' },
    'llama-bench': { type: 'string' },
  },
});
const modelPath = path.resolve(values.model!);
const threadCounts = values.threads!.split(',').map(Number);
const reps = Number(values.reps);

/** Builds llama-bench from the bundled llama.cpp source unless a binary is given or already built. */
function llamaBenchBinary(): string {
  if (values['llama-bench']) return path.resolve(values['llama-bench']);
  const src = path.join(ROOT, 'tmp', 'llama.cpp');
  const binary = path.join(src, 'build', 'bin', 'llama-bench');
  if (fs.existsSync(binary)) return binary;
  const bundle = path.join(ROOT, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');
  process.stderr.write(`Building llama-bench from ${path.relative(ROOT, bundle)} (a few minutes, once)…\n`);
  if (!fs.existsSync(src)) execFileSync('git', ['clone', '--quiet', bundle, src], { stdio: 'inherit' });
  const flags = ['-DCMAKE_BUILD_TYPE=Release', '-DLLAMA_CURL=OFF', '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF', '-DLLAMA_BUILD_SERVER=OFF', '-DGGML_NATIVE=ON'];
  execFileSync('cmake', ['-S', src, '-B', path.join(src, 'build'), ...flags], { stdio: 'ignore' });
  execFileSync('cmake', ['--build', path.join(src, 'build'), '--target', 'llama-bench', '-j', '2'], { stdio: 'ignore' });
  return binary;
}

interface Shape {
  label: 'pp512' | 'tg128';
  llamaBench: MetricSummary | null;
  wattbench: MetricSummary | null;
}

/** llama-bench's own figures: tokens/s of each repetition for pp512 and tg128. */
let buildCommit = 'unknown build';

function runLlamaBench(binary: string, threads: number): Record<'pp512' | 'tg128', MetricSummary | null> {
  const out = execFileSync(binary, ['-m', modelPath, '-p', '512', '-n', '128', '-t', String(threads), '-r', String(reps), '-ngl', '0', '-o', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const rows = JSON.parse(out) as Array<{ n_prompt: number; n_gen: number; samples_ts: number[]; build_commit: string }>;
  buildCommit = rows[0]?.build_commit ?? buildCommit;
  const pick = (pp: boolean) => rows.find((r) => (pp ? r.n_prompt > 0 && r.n_gen === 0 : r.n_gen > 0 && r.n_prompt === 0));
  return { pp512: summarize(pick(true)?.samples_ts ?? []), tg128: summarize(pick(false)?.samples_ts ?? []) };
}

const synthetic = (id: string, promptTokens: number, maxTokens: number): SuitePrompt => ({
  id, title: id, lang: 'en', task: id, kind: 'synthetic', promptTokens, maxTokens, ignoreEos: true,
});

const binary = llamaBenchBinary();
const llama = await loadLlama();
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const plan = { format: 'completion' as const, chatWrapper: null };
const ppTokens = buildPromptTokens(model, synthetic('pp512', 512, 1), plan, 42);
const tgTokens = buildPromptTokens(model, synthetic('tg128', 1, 128), plan, 43);

const rows: Array<Shape & { threads: number }> = [];
for (const threads of threadCounts) {
  const context = await model.createContext({ contextSize: 1024, threads });
  const sequence = context.getSequence();
  const measure = async (tokens: typeof ppTokens, maxTokens: number) => {
    const out = [];
    for (let i = 0; i < reps + 1; i++) out.push(await measureRepetition({ model, sequence, tokens, maxTokens, ignoreEos: true, temperature: 0, seed: 42 }));
    return out.slice(1); // the first is the warm-up
  };
  const pp = await measure(ppTokens, 1);
  const tg = await measure(tgTokens, 128);
  await context.dispose();
  const ref = runLlamaBench(binary, threads);
  rows.push({ threads, label: 'pp512', llamaBench: ref.pp512, wattbench: summarize(pp.map((m) => m.promptTokensPerSec)) });
  rows.push({ threads, label: 'tg128', llamaBench: ref.tg128, wattbench: summarize(tg.map((m) => m.genTokensPerSec)) });
}
await model.dispose();

const cell = (s: MetricSummary | null) => (s ? `${formatNumber(s.mean)} ± ${formatNumber(s.sd)}` : '—');
console.log(`wattbench vs llama-bench · ${path.basename(modelPath)} · ${reps} repetitions after 1 warm-up · llama-bench build ${buildCommit}, node-llama-cpp threads as given`);
console.log(
  formatTable(rows, [
    { header: 'TEST', value: (r) => r.label },
    { header: 'THREADS', value: (r) => String(r.threads), align: 'right' },
    { header: 'LLAMA-BENCH (tok/s)', value: (r) => cell(r.llamaBench), align: 'right' },
    { header: 'WATTBENCH (tok/s)', value: (r) => cell(r.wattbench), align: 'right' },
    { header: 'RATIO', value: (r) => (r.llamaBench && r.wattbench ? (r.wattbench.mean / r.llamaBench.mean).toFixed(2) : '—'), align: 'right' },
  ]),
);
