// Benchmark (not a test): does wattbench report the speed this machine really has? Runner / llama-bench ratios
// for pp512 and tg128, each side at its own best thread count, per model and per llama.cpp binary (the prebuilt
// one from npm, and the local build from `wattbench setup` where there is one). llama-bench is built once,
// offline, from the llama.cpp source node-llama-cpp ships, into tmp/llama.cpp.
// Both sides run in alternation, --rounds times (fresh processes each time), so that drift on a shared machine
// reaches both; each tok/s figure is the median over rounds of that round's mean, and each ratio the median over
// rounds of that round's ratio (paired: both sides measured minutes apart at most).
// --pin on (the default where taskset exists): at t threads, round r runs both sides on the same t CPUs, the
// allowed CPUs from the r-th on, wrapping, so a round compares the two on the same cores and the rounds visit every core.
// Why: on a shared VM the vCPUs need not be equal (on the project's 2-vCPU VM, one generates ~30 % slower than the
// other), and an unpinned process lands on either, which moved llama-bench's own tg128 from 560 to 880 tok/s.
//   npx tsx bench/fidelity.ts [--model a.gguf,b.gguf] [--forge 25M:f16,110M:q4_k_m] [--threads 1,2] [--reps 5] [--rounds 4]
//                             [--engines prebuilt,local-build] [--loops native,node-llama-cpp] [--pin on|off]
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
import { COMPUTE_POOL_SIZE } from '../lib/engine/computePool';
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
    rounds: { type: 'string', default: '4' },
    pin: { type: 'string', default: 'on' },
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
  process.stdout.write(`${JSON.stringify({ engine: engine.kind, loop: engine.generationLoop.kind, openmp: engine.openmp, computeThreads: engine.computeThreads, speeds })}\n`);
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

/** The command line, under taskset when the side is pinned to `cpus`. */
function pinned(cpus: number[] | null, command: string, args: string[]): [string, string[]] {
  return cpus ? ['taskset', ['-c', cpus.join(','), command, ...args]] : [command, args];
}

/** The CPUs this process may run on (a container's cpuset need not start at 0), from /proc/self/status. */
function allowedCpus(): number[] {
  const line = fs.readFileSync('/proc/self/status', 'utf8').match(/^Cpus_allowed_list:\s*(.+)$/m)?.[1] ?? '';
  const cpus = line.split(',').flatMap((part) => {
    const [lo, hi = lo] = part.split('-').map(Number);
    return Number.isInteger(lo) && Number.isInteger(hi) ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : [];
  });
  return cpus.length ? cpus : Array.from({ length: os.availableParallelism() }, (_, i) => i);
}

/** Round r's CPUs for t threads: t consecutive allowed CPUs starting at the r-th, wrapping, so the rounds visit every CPU. */
function cpusForRound(round: number, threads: number, cpus: number[]): number[] {
  return Array.from({ length: Math.min(threads, cpus.length) }, (_, i) => cpus[(round + i) % cpus.length]).sort((a, b) => a - b);
}

let buildCommit = 'unknown build';
function runLlamaBench(binary: string, modelPath: string, threads: number, cpus: number[] | null): Speeds {
  const [command, args] = pinned(cpus, binary, ['-m', modelPath, '-p', '512', '-n', '128', '-t', String(threads), '-r', String(reps), '-ngl', '0', '-o', 'json']);
  const out = execFileSync(command, args, {
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
  if (values.pin !== 'on' && values.pin !== 'off') throw new Error(`--pin ${values.pin}: expected on or off`);
  const pin = values.pin === 'on' && process.platform === 'linux' && spawnSync('taskset', ['-p', String(process.pid)]).status === 0;
  const cpuList = pin ? allowedCpus() : [];
  const pools = new Set<number>();
  for (const modelPath of models) {
    const params = await parameters(modelPath);
    // Per side ("llama-bench" or "binary/loop"), test and thread count: each round's mean tokens/s, indexed by round.
    const perRound = new Map<string, Array<number | undefined>>();
    const record = (side: string, round: number, speeds: Speeds) => {
      for (const test of TESTS) {
        for (const e of speeds[test]) {
          if (!e.tokS) continue;
          const key = `${side}|${test}|${e.threads}`;
          const list = perRound.get(key) ?? [];
          list[round] = e.tokS.mean;
          perRound.set(key, list);
        }
      }
    };
    const openmp = new Map<string, boolean>();
    for (let r = 0; r < rounds; r++) {
      for (const threads of threadCounts) {
        const cpus = pin ? cpusForRound(r, threads, cpuList) : null;
        const sides = ['llama-bench', ...engines];
        for (const side of (r + threads) % 2 === 0 ? sides : sides.reverse()) {
          if (side === 'llama-bench') {
            record(side, r, runLlamaBench(binary, modelPath, threads, cpus));
            continue;
          }
          const [binarySide, loopSide] = side.split('/');
          const [command, args] = pinned(cpus, process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), SELF, '--worker', '--model', modelPath, '--threads', String(threads), '--reps', String(reps)]);
          const child = spawnSync(command, args, {
            encoding: 'utf8',
            // The libuv pool the CLI's entry (bench/wattbench.cjs) gives a run, so the worker measures what `run` does.
            env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(COMPUTE_POOL_SIZE), WATTBENCH_ENGINE: binarySide === 'prebuilt' ? 'prebuilt' : 'auto', WATTBENCH_GENERATION_LOOP: loopSide },
            stdio: ['ignore', 'pipe', 'inherit'],
            maxBuffer: 16 * 1024 * 1024,
          });
          const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as { engine: string; loop: string; openmp: boolean; computeThreads: number; speeds: Speeds };
          if (result.engine !== binarySide) throw new Error(`asked for the ${binarySide} binary, got ${result.engine}: run wattbench setup first, or pass --engines prebuilt`);
          if (result.loop !== loopSide) throw new Error(`asked for the ${loopSide} generation loop, got ${result.loop}: run npm run build:native first, or pass --loops node-llama-cpp`);
          openmp.set(side, result.openmp);
          pools.add(result.computeThreads);
          record(side, r, result.speeds);
        }
      }
    }
    const measured = (side: string, test: Test, threads: number) => (perRound.get(`${side}|${test}|${threads}`) ?? []).filter((v): v is number => v !== undefined);
    const bestOf = (side: string, test: Test) => {
      let top: { threads: number; tokS: number; spread: string } | null = null;
      for (const threads of threadCounts) {
        const values = measured(side, test, threads);
        if (!values.length) continue;
        const m = quantile(values, 0.5);
        if (!top || m > top.tokS) top = { threads, tokS: m, spread: `${formatNumber(Math.min(...values), 'en')} … ${formatNumber(Math.max(...values), 'en')}` };
      }
      return top;
    };
    const byThreads = (side: string, test: Test) =>
      threadCounts.map((t) => `${t}: ${measured(side, test, t).length ? formatNumber(quantile(measured(side, test, t), 0.5), 'en') : '—'}`).join(', ');
    // Each round's ratio at each side's best thread count (same round: same minutes, and the same CPUs when the counts agree).
    const pairedRatios = (ours: string, oursThreads: number, test: Test, refThreads: number) => {
      const a = perRound.get(`${ours}|${test}|${oursThreads}`) ?? [];
      const b = perRound.get(`llama-bench|${test}|${refThreads}`) ?? [];
      const ratios: number[] = [];
      for (let r = 0; r < rounds; r++) if (a[r] !== undefined && b[r] !== undefined) ratios.push(a[r]! / b[r]!);
      return ratios;
    };
    for (const engine of engines) {
      for (const test of TESTS) {
        const ours = bestOf(engine, test);
        const ref = bestOf('llama-bench', test);
        const ratios = ours && ref ? pairedRatios(engine, ours.threads, test, ref.threads) : [];
        const ratio = ratios.length ? quantile(ratios, 0.5) : null;
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
          ratioSpread: ratios.length ? `${Math.min(...ratios).toFixed(2)} … ${Math.max(...ratios).toFixed(2)}` : '—',
          target: goal === null ? '—' : `≥ ${goal.toFixed(2)} ${ratio !== null && ratio >= goal ? 'met' : 'MISSED'}`,
        });
      }
    }
  }
  console.log(`wattbench vs llama-bench (build ${buildCommit}) · ${reps} repetitions after 1 warm-up, ${rounds} alternating rounds (tok/s: median of round means; ratio: median of the rounds' paired ratios) · threads tried: ${threadCounts.join(', ')} · wattbench's libuv pool: ${[...pools].join(', ')} thread(s) · ${pin ? 'both sides pinned to the same CPUs each round (taskset)' : 'unpinned'} · tok/s @ best thread count`);
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
      { header: 'RATIO MIN … MAX', value: (r) => r.ratioSpread },
      { header: 'TARGET', value: (r) => r.target },
    ]),
  );
}

if (values.worker) await worker(path.resolve(values.model!));
else await main();
