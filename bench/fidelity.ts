// Benchmark (not a test): does wattbench report the speed this machine really has? Runner / llama-bench ratios
// for pp512 and tg128, each side at its own best thread count, per model and per llama.cpp binary (the prebuilt
// one from npm, and the local build from `wattbench setup` where there is one). llama-bench is built once,
// offline, from the llama.cpp source node-llama-cpp ships, into tmp/llama.cpp.
// Both sides run in alternation, --rounds times (fresh processes each time), so that drift on a shared machine
// reaches both; each figure is the median over rounds of that round's mean.
//   npx tsx bench/fidelity.ts [--model a.gguf,b.gguf] [--forge 25M:f16,110M:q4_k_m] [--threads 1,2] [--reps 5] [--rounds 3]
//                             [--engines prebuilt,local-build] [--loops native,node-llama-cpp]
// --loops: the generation loop (wattbench's native loop, or node-llama-cpp's two native calls per token).
// --forge makes synthetic llama models of realistic shape (lib/forge; quantised by llama-quantize) into tmp/forge/.
// Targets (issue 12): generation ≥ 0.95 and prompt processing ≥ 0.90 on models of 25M parameters and up;
// generation ≥ 0.5 on stories260K, where a fixed cost per token dominates.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { GgufInsights, readGgufFileInfo } from 'node-llama-cpp';
import { loadLlama, setLlamaLog } from '../lib/runner/loadLlama';
import { printLlamaLine } from './output/printError';
import { measureRepetition } from '../lib/runner/measureRepetition';
import { buildPromptTokens } from '../lib/runner/buildPromptTokens';
import { describeEngine } from '../lib/engine/describeEngine';
import { hasLocalBuild } from '../lib/engine/buildEngine';
import { FLASH_ATTENTION } from '../lib/runner/prepareRun';
import { quantile, summarize, type MetricSummary } from '../lib/stats/summarize';
import type { SuitePrompt } from '../lib/suites/suiteSchema';
import { formatNumber } from '../lib/format/numbers';
import { formatTable } from './output/formatTable';
import { forgeLlamaModel, parseParameterCount, shapeForParameters } from '../lib/forge/forgeLlamaModel';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.join(ROOT, 'tests', 'fixtures', 'models', 'stories260K.gguf') },
    threads: { type: 'string', default: Array.from({ length: os.availableParallelism() }, (_, i) => i + 1).join(',') },
    reps: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    engines: { type: 'string' },
    loops: { type: 'string', default: 'native,node-llama-cpp' },
    forge: { type: 'string', default: '25M:f16,110M:q4_k_m' },
    'llama-bench': { type: 'string' },
    worker: { type: 'boolean', default: false },
  },
});
const threadCounts = values.threads!.split(',').map(Number);
const reps = Number(values.reps);
const TESTS = ['pp512', 'tg128'] as const;
type Test = (typeof TESTS)[number];
type Speeds = Record<Test, Array<{ threads: number; tokS: MetricSummary | null }>>;

const synthetic = (id: string, promptTokens: number, maxTokens: number): SuitePrompt => ({
  id, title: id, lang: 'en', task: id, kind: 'synthetic', promptTokens, maxTokens, ignoreEos: true,
});

/** Worker: wattbench's own pp512/tg128 on one model and one binary (chosen by WATTBENCH_ENGINE), as JSON on stdout. */
async function worker(modelPath: string): Promise<void> {
  setLlamaLog(printLlamaLine);
  const llama = await loadLlama();
  const engine = describeEngine(llama);
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const plan = { format: 'completion' as const, chatWrapper: null };
  const ppTokens = buildPromptTokens(model, synthetic('pp512', 512, 1), plan, 42);
  const tgTokens = buildPromptTokens(model, synthetic('tg128', 1, 128), plan, 43);
  const speeds: Speeds = { pp512: [], tg128: [] };
  for (const threads of threadCounts) {
    const context = await model.createContext({ contextSize: 1024, threads, flashAttention: FLASH_ATTENTION });
    const sequence = context.getSequence();
    const measure = async (tokens: typeof ppTokens, maxTokens: number) => {
      const out = [];
      // The first is the warm-up, as llama-bench does.
      for (let i = 0; i < reps + 1; i++) out.push(await measureRepetition({ model, sequence, tokens, maxTokens, ignoreEos: true, temperature: 0, seed: 42 }));
      return out.slice(1);
    };
    speeds.pp512.push({ threads, tokS: summarize((await measure(ppTokens, 1)).map((m) => m.promptTokensPerSec)) });
    speeds.tg128.push({ threads, tokS: summarize((await measure(tgTokens, 128)).map((m) => m.genTokensPerSec)) });
    await context.dispose();
  }
  await model.dispose();
  process.stdout.write(`${JSON.stringify({ engine: engine.kind, loop: engine.generationLoop.kind, openmp: engine.openmp, speeds })}\n`);
}

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
  execFileSync('cmake', ['--build', path.join(src, 'build'), '--target', 'llama-bench', 'llama-quantize', '-j', String(os.availableParallelism())], { stdio: 'ignore' });
  return binary;
}

let buildCommit = 'unknown build';
function runLlamaBench(binary: string, modelPath: string): Speeds {
  const out = execFileSync(binary, ['-m', modelPath, '-p', '512', '-n', '128', '-t', threadCounts.join(','), '-r', String(reps), '-ngl', '0', '-o', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const rows = JSON.parse(out) as Array<{ n_prompt: number; n_gen: number; n_threads: number; samples_ts: number[]; build_commit: string }>;
  buildCommit = rows[0]?.build_commit ?? buildCommit;
  const pick = (pp: boolean) =>
    rows
      .filter((r) => (pp ? r.n_prompt > 0 && r.n_gen === 0 : r.n_gen > 0 && r.n_prompt === 0))
      .map((r) => ({ threads: r.n_threads, tokS: summarize(r.samples_ts) }));
  return { pp512: pick(true), tg128: pick(false) };
}

async function parameters(modelPath: string): Promise<number> {
  const info = await readGgufFileInfo(modelPath);
  return (await GgufInsights.from(info)).totalParameters;
}

function target(test: Test, params: number): number | null {
  if (params >= 25e6) return test === 'tg128' ? 0.95 : 0.9;
  return test === 'tg128' ? 0.5 : null;
}

/** A forged model of realistic shape, cached in tmp/forge/: "110M:q4_k_m" is forged in F16, then quantised. */
function forgedModel(spec: string, llamaBench: string): string {
  const [size, typeText = 'f16'] = spec.split(':');
  const params = parseParameterCount(size);
  if (params === null) throw new Error(`--forge ${spec}: expected a size like 25M or 1.5B, then :f32, :f16 or a llama-quantize type`);
  const type = typeText.toLowerCase();
  const dir = path.join(ROOT, 'tmp', 'forge');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `forge-${size}-${type}.gguf`);
  if (fs.existsSync(file)) return file;
  const base = type === 'f32' ? file : path.join(dir, `forge-${size}-f16.gguf`);
  if (!fs.existsSync(base)) {
    process.stderr.write(`Forging ${size} (${type === 'f32' ? 'F32' : 'F16'})…\n`);
    forgeLlamaModel({ file: base, shape: shapeForParameters(params), type: type === 'f32' ? 'f32' : 'f16' });
  }
  if (base !== file) {
    process.stderr.write(`Quantising ${size} to ${type.toUpperCase()}…\n`);
    execFileSync(path.join(path.dirname(llamaBench), 'llama-quantize'), [base, file, type.toUpperCase(), String(os.availableParallelism())], { stdio: 'ignore' });
  }
  return file;
}

async function main(): Promise<void> {
  const binaries = values.engines ? values.engines.split(',') : hasLocalBuild() ? ['prebuilt', 'local-build'] : ['prebuilt'];
  // One side per binary and generation loop: "local-build/native".
  const engines = binaries.flatMap((b) => values.loops!.split(',').map((loop) => `${b}/${loop}`));
  const binary = llamaBenchBinary();
  const forged = values.forge ? values.forge.split(',').filter(Boolean).map((spec) => forgedModel(spec, binary)) : [];
  const models = [...values.model!.split(',').filter(Boolean).map((m) => path.resolve(m)), ...forged];
  const rows: Array<Record<string, string>> = [];
  const rounds = Number(values.rounds);
  for (const modelPath of models) {
    const params = await parameters(modelPath);
    // Per side ("llama-bench" or a binary), per test and thread count: that round's mean tokens/s, one per round.
    const perRound = new Map<string, number[]>();
    const record = (side: string, speeds: Speeds) => {
      for (const test of TESTS) for (const e of speeds[test]) if (e.tokS) perRound.set(`${side}|${test}|${e.threads}`, [...(perRound.get(`${side}|${test}|${e.threads}`) ?? []), e.tokS.mean]);
    };
    const openmp = new Map<string, boolean>();
    for (let r = 0; r < rounds; r++) {
      const sides = ['llama-bench', ...engines];
      for (const side of r % 2 === 0 ? sides : sides.reverse()) {
        if (side === 'llama-bench') {
          record(side, runLlamaBench(binary, modelPath));
          continue;
        }
        const [binarySide, loopSide] = side.split('/');
        const child = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), SELF, '--worker', '--model', modelPath, '--threads', values.threads!, '--reps', String(reps)], {
          encoding: 'utf8',
          env: { ...process.env, WATTBENCH_ENGINE: binarySide === 'prebuilt' ? 'prebuilt' : 'auto', WATTBENCH_GENERATION_LOOP: loopSide },
          stdio: ['ignore', 'pipe', 'inherit'],
          maxBuffer: 16 * 1024 * 1024,
        });
        const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as { engine: string; loop: string; openmp: boolean; speeds: Speeds };
        if (result.engine !== binarySide) throw new Error(`asked for the ${binarySide} binary, got ${result.engine}: run wattbench setup first, or pass --engines prebuilt`);
        if (result.loop !== loopSide) throw new Error(`asked for the ${loopSide} generation loop, got ${result.loop}: run npm run build:native first, or pass --loops node-llama-cpp`);
        openmp.set(side, result.openmp);
        record(side, result.speeds);
      }
    }
    const bestOf = (side: string, test: Test) => {
      let top: { threads: number; tokS: number; spread: string } | null = null;
      for (const threads of threadCounts) {
        const values = perRound.get(`${side}|${test}|${threads}`);
        if (!values?.length) continue;
        const m = quantile(values, 0.5);
        if (!top || m > top.tokS) top = { threads, tokS: m, spread: `${formatNumber(Math.min(...values), 'en')} … ${formatNumber(Math.max(...values), 'en')}` };
      }
      return top;
    };
    const byThreads = (side: string, test: Test) =>
      threadCounts.map((t) => `${t}: ${perRound.get(`${side}|${test}|${t}`)?.length ? formatNumber(quantile(perRound.get(`${side}|${test}|${t}`)!, 0.5), 'en') : '—'}`).join(', ');
    for (const engine of engines) {
      for (const test of TESTS) {
        const ours = bestOf(engine, test);
        const ref = bestOf('llama-bench', test);
        const ratio = ours && ref ? ours.tokS / ref.tokS : null;
        const goal = target(test, params);
        rows.push({
          model: path.basename(modelPath),
          params: formatNumber(params / 1e6, 'en', { decimals: params < 1e7 ? 2 : 0 }) + 'M',
          engine: `${engine}${openmp.get(engine) ? ' (OpenMP)' : ''}`,
          test,
          ref: ref ? `${formatNumber(ref.tokS, 'en')} @${ref.threads}` : '—',
          refBy: byThreads('llama-bench', test),
          ours: ours ? `${formatNumber(ours.tokS, 'en')} @${ours.threads}` : '—',
          perThreads: byThreads(engine, test),
          ratio: ratio === null ? '—' : ratio.toFixed(2),
          target: goal === null ? '—' : `≥ ${goal.toFixed(2)} ${ratio !== null && ratio >= goal ? 'met' : 'MISSED'}`,
        });
      }
    }
  }
  console.log(`wattbench vs llama-bench (build ${buildCommit}) · ${reps} repetitions after 1 warm-up, ${rounds} alternating rounds (median of round means) · threads tried: ${threadCounts.join(', ')} · tok/s @ best thread count`);
  console.log(
    formatTable(rows, [
      { header: 'MODEL', value: (r) => r.model },
      { header: 'PARAMS', value: (r) => r.params, align: 'right' },
      { header: 'BINARY / LOOP', value: (r) => r.engine },
      { header: 'TEST', value: (r) => r.test },
      { header: 'LLAMA-BENCH', value: (r) => r.ref, align: 'right' },
      { header: 'LLAMA-BENCH BY THREADS', value: (r) => r.refBy },
      { header: 'WATTBENCH', value: (r) => r.ours, align: 'right' },
      { header: 'WATTBENCH BY THREADS', value: (r) => r.perThreads },
      { header: 'RATIO', value: (r) => r.ratio, align: 'right' },
      { header: 'TARGET', value: (r) => r.target },
    ]),
  );
}

if (values.worker) await worker(path.resolve(values.model!));
else await main();
