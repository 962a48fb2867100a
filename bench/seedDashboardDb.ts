// Fills a database with synthetic but realistically shaped runs, for the dashboard's scale benchmark and demos.
// Not for tests of measurements: every figure here is invented (deterministically, from a seed).
import fs from 'node:fs';
import { openDb } from '../lib/db/openDb';
import { backfillRunSeries } from '../lib/db/storeRunSeries';
import type { RunSummaryJson, PromptSummary, RunMetrics } from '../lib/runner/types';
import { summarize } from '../lib/stats/summarize';
import { mulberry32 } from '../lib/stats/mulberry32';

export interface SeedOptions {
  /** Runs to create. Defaults to 10,000. */
  runs?: number;
  /** Samples in total, spread over the runs (the first `bigRuns` runs get a large share). Defaults to 1,000,000. */
  samples?: number;
  /** Runs with a long time series (100,000 samples each by default share). Defaults to 2. */
  bigRuns?: number;
  /** Samples of each big run. Defaults to 100,000 (10 Hz: about 2 h 47 min). */
  bigRunSamples?: number;
  /** Leave the newest run "running". Defaults to true. */
  withRunning?: boolean;
  /** PRNG seed. Defaults to 42. */
  seed?: number;
  /** Delete an existing file first. Defaults to true. */
  fresh?: boolean;
}

export interface SeedStats {
  runs: number;
  results: number;
  samples: number;
  energyRows: number;
  bigRunIds: number[];
  runningRunId: number | null;
  /** Runs whose chart series was stored (as the run writer does at run end), and the time it took. */
  storedSeries: number;
  storeSeriesMs: number;
  ms: number;
}

interface Machine {
  hostname: string;
  cpu: string;
  cores: number;
  threads: number;
  memGiB: number;
  gpus: { name: string; vendor: string; memoryBytes?: number }[];
  os: string;
  arch: string;
  speed: number;
  /** Power sources: "rapl" (package + dram), "nvidia", "estimate", or none. */
  power: 'rapl' | 'rapl+nvidia' | 'estimate' | 'none';
  idleW: number;
  busyW: number;
}

const MACHINES: Machine[] = [
  { hostname: 'lab-thinkpad-t14', cpu: 'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz', cores: 4, threads: 8, memGiB: 16, gpus: [], os: 'Linux 6.8 (Ubuntu 24.04)', arch: 'x64', speed: 1, power: 'rapl', idleW: 3, busyW: 28 },
  { hostname: 'lab-xps-13', cpu: 'Intel(R) Core(TM) i5-1240P', cores: 12, threads: 16, memGiB: 16, gpus: [], os: 'Linux 6.5 (Fedora 39)', arch: 'x64', speed: 1.1, power: 'rapl', idleW: 2.5, busyW: 32 },
  { hostname: 'macbook-air-m2', cpu: 'Apple M2', cores: 8, threads: 8, memGiB: 16, gpus: [{ name: 'Apple M2 GPU', vendor: 'apple' }], os: 'macOS 14.5', arch: 'arm64', speed: 1.6, power: 'estimate', idleW: 2, busyW: 14 },
  { hostname: 'workstation-4090', cpu: 'AMD Ryzen 9 7950X 16-Core Processor', cores: 16, threads: 32, memGiB: 64, gpus: [{ name: 'NVIDIA GeForce RTX 4090', vendor: 'nvidia', memoryBytes: 24 * 1024 ** 3 }], os: 'Linux 6.8 (Debian 12)', arch: 'x64', speed: 6, power: 'rapl+nvidia', idleW: 40, busyW: 380 },
  { hostname: 'raspberrypi-5', cpu: 'Cortex-A76', cores: 4, threads: 4, memGiB: 8, gpus: [], os: 'Linux 6.6 (Raspberry Pi OS)', arch: 'arm64', speed: 0.25, power: 'none', idleW: 3, busyW: 8 },
  { hostname: 'old-desktop', cpu: 'Intel(R) Core(TM) i5-4590 CPU @ 3.30GHz', cores: 4, threads: 4, memGiB: 8, gpus: [], os: 'Windows 10', arch: 'x64', speed: 0.5, power: 'estimate', idleW: 20, busyW: 84 },
  { hostname: 'framework-13', cpu: 'AMD Ryzen 7 7840U w/ Radeon 780M Graphics', cores: 8, threads: 16, memGiB: 32, gpus: [], os: 'Linux 6.9 (Arch)', arch: 'x64', speed: 1.4, power: 'rapl', idleW: 3, busyW: 30 },
  { hostname: 'ci-runner', cpu: 'AMD EPYC 7763 64-Core Processor', cores: 2, threads: 2, memGiB: 8, gpus: [], os: 'Linux 6.5 (Ubuntu 22.04)', arch: 'x64', speed: 0.4, power: 'estimate', idleW: 10, busyW: 35 },
];

const MODELS = [
  { file: 'stories260K.gguf', name: 'stories260K', params: 260_000, type: 'F32', arch: 'llama', size: 1_185_376, ctx: 512, chat: false, tps: 1500 },
  { file: 'llama-2-tiny-random.gguf', name: 'llama-2-tiny-random', params: 1_100_000, type: 'F16', arch: 'llama', size: 2_270_000, ctx: 2048, chat: false, tps: 900 },
  { file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', name: 'Qwen2.5 0.5B Instruct', params: 494_000_000, type: 'Q4_K_M', arch: 'qwen2', size: 397_808_192, ctx: 32768, chat: true, tps: 38 },
  { file: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf', name: 'Llama 3.2 1B Instruct', params: 1_236_000_000, type: 'Q4_K_M', arch: 'llama', size: 807_694_464, ctx: 131072, chat: true, tps: 22 },
  { file: 'gemma-2-2b-it-Q4_K_M.gguf', name: 'Gemma 2 2B it', params: 2_614_000_000, type: 'Q4_K_M', arch: 'gemma2', size: 1_708_582_752, ctx: 8192, chat: true, tps: 12 },
  { file: 'Phi-3.5-mini-instruct-Q4_K_M.gguf', name: 'Phi 3.5 mini instruct', params: 3_821_000_000, type: 'Q4_K_M', arch: 'phi3', size: 2_393_232_608, ctx: 131072, chat: true, tps: 9 },
  { file: 'Mistral-7B-Instruct-v0.3-Q4_K_M.gguf', name: 'Mistral 7B Instruct v0.3', params: 7_248_000_000, type: 'Q4_K_M', arch: 'llama', size: 4_372_812_000, ctx: 32768, chat: true, tps: 5 },
  { file: 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', name: 'Llama 3.1 8B Instruct', params: 8_030_000_000, type: 'Q4_K_M', arch: 'llama', size: 4_920_734_000, ctx: 131072, chat: true, tps: 4.5 },
];

const SUITES = {
  smoke: [
    { id: 'hello', title: 'Say hello', promptTokens: 12, maxTokens: 32 },
    { id: 'capital', title: 'Capital of France', promptTokens: 18, maxTokens: 32 },
    { id: 'count', title: 'Count to ten', promptTokens: 14, maxTokens: 48 },
  ],
  standard: [
    { id: 'qa-short', title: 'Short factual answer', promptTokens: 40, maxTokens: 64 },
    { id: 'summarise', title: 'Summarise a paragraph', promptTokens: 320, maxTokens: 128 },
    { id: 'code-explain', title: 'Explain a function', promptTokens: 210, maxTokens: 160 },
    { id: 'long-form', title: 'Write a short story', promptTokens: 35, maxTokens: 256 },
    { id: 'pp512', title: 'Prompt processing, 512 tokens', promptTokens: 512, maxTokens: 1 },
    { id: 'tg128', title: 'Generation, 128 tokens', promptTokens: 1, maxTokens: 128 },
  ],
} as const;


const SAMPLE_TEXT = [
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the sun.',
  'The capital of France is Paris.',
  '1, 2, 3, 4, 5, 6, 7, 8, 9, 10.',
  'Hello! How can I help you today?',
  'This function sorts the list in place and returns the number of swaps it made.',
  '<b>not bold</b> & <script>alert("rendered as text")</script>',
];

export function seedDashboardDb(dbPath: string, options: SeedOptions = {}): SeedStats {
  const started = performance.now();
  const nRuns = options.runs ?? 10_000;
  const nSamples = options.samples ?? 1_000_000;
  const nBig = Math.min(options.bigRuns ?? 2, nRuns);
  const bigSamples = options.bigRunSamples ?? 100_000;
  const withRunning = options.withRunning ?? true;
  const rand = mulberry32(options.seed ?? 42);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

  if (options.fresh ?? true) for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true });
  const db = openDb(dbPath, { recoverOrphans: false });
  const c = db.$client;
  c.pragma('synchronous = OFF');

  const insHw = c.prepare(
    `INSERT INTO hardware (fingerprint, hostname, cpu_model, cpu_cores, cpu_threads, memory_bytes, gpus, os, arch, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insModel = c.prepare(
    `INSERT INTO models (sha256, file_name, name, size_bytes, architecture, parameters, type, context_length, has_chat_template, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insRun = c.prepare(
    `INSERT INTO runs (status, model_id, hardware_id, suite, label, threads, reps, warmup, context_size, max_tokens, seed, prompt_format,
       settings, runtime, pid, pid_start_ticks, started_at, ended_at, load_ms, peak_rss_bytes, error, gen_tokens_per_sec, ttft_ms,
       joules_per_token, total_j, energy_source, output_tokens, summary)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insResult = c.prepare(
    `INSERT INTO results (run_id, prompt_id, prompt_index, rep, prompt_tokens, output_tokens, ttft_ms, prompt_tokens_per_sec,
       gen_tokens_per_sec, inter_token_p50_ms, inter_token_p95_ms, e2e_ms, stop_reason, started_at, ended_at, output, energy_j)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insSample = c.prepare(
    `INSERT INTO samples (run_id, t, phase, prompt_index, cpu_percent, rss_bytes, mem_used_bytes, tokens_generated, power_w, power)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insEnergy = c.prepare(
    `INSERT INTO energy (run_id, result_id, source, domain, boundary, method, joules, net_joules, mean_w, peak_w, idle_w, partial, note, estimate_model)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const now = Date.now();
  const stats: SeedStats = { runs: 0, results: 0, samples: 0, energyRows: 0, bigRunIds: [], runningRunId: null, storedSeries: 0, storeSeriesMs: 0, ms: 0 };

  c.transaction(() => {
    MACHINES.forEach((m, i) =>
      insHw.run(`synthetic-${i}`, m.hostname, m.cpu, m.cores, m.threads, m.memGiB * 1024 ** 3, JSON.stringify(m.gpus), m.os, m.arch, now - 100 * 86_400_000),
    );
    MODELS.forEach((m, i) =>
      insModel.run(`synthetic-sha-${i}`.padEnd(64, '0'), m.file, m.name, m.size, m.arch, m.params, m.type, m.ctx, m.chat ? 1 : 0, now - 100 * 86_400_000),
    );
  })();

  // Sample budget: big runs first, the rest spread evenly.
  const smallBudget = Math.max(0, nSamples - nBig * bigSamples);
  const perSmall = nRuns > nBig ? smallBudget / (nRuns - nBig) : 0;
  let sampleCarry = 0;

  const writeRuns = c.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const isBig = i < nBig;
      const isRunning = withRunning && i === nRuns - 1;
      const hwIndex = isBig ? i % MACHINES.length : Math.floor(rand() * MACHINES.length);
      const machine = MACHINES[hwIndex];
      const modelIndex = Math.floor(rand() ** 1.3 * MODELS.length);
      const model = MODELS[modelIndex];
      const suiteName: keyof typeof SUITES = isBig || rand() < 0.7 ? 'smoke' : 'standard';
      const prompts = SUITES[suiteName];
      const reps = isBig ? 400 : 2 + Math.floor(rand() * 4);
      const threads = Math.min(machine.threads, [1, 2, 4, 8][Math.floor(rand() * 4)]);
      const roll = rand();
      const status = isRunning ? 'running' : roll < 0.02 ? 'failed' : roll < 0.04 ? 'interrupted' : 'completed';
      const startedAt = isRunning ? now - 60_000 : now - Math.floor((nRuns - i) * (90 * 86_400_000 / nRuns)) - Math.floor(rand() * 60_000);
      const baseTps = model.tps * machine.speed * (0.9 + 0.2 * rand()) * (1 + 0.1 * Math.log2(threads));
      const baseTtft = (30 + 2e-7 * model.params) / machine.speed;

      // Results (measured repetitions).
      const results: { promptIndex: number; rep: number; ttft: number; tps: number; out: number; pt: number; e2e: number; start: number; end: number; energyJ: number | null }[] = [];
      let t = startedAt + 1500 + Math.floor(200 * rand());
      const doneReps = status === 'completed' ? reps : Math.floor(reps * rand());
      const watts = machine.power === 'none' ? null : machine.idleW + (machine.busyW - machine.idleW) * Math.min(1, threads / machine.threads + 0.2);
      for (let p = 0; p < prompts.length; p++) {
        for (let r = 0; r < doneReps; r++) {
          const pr = prompts[p];
          const tps = Math.max(0.1, baseTps * (1 + 0.04 * gauss()));
          const ttft = Math.max(1, baseTtft * (pr.promptTokens / 20 + 1) * (1 + 0.05 * gauss()));
          const out = Math.max(1, Math.round(pr.maxTokens * (0.6 + 0.4 * rand())));
          const e2e = ttft + (out / tps) * 1000;
          results.push({ promptIndex: p, rep: r, ttft, tps, out, pt: pr.promptTokens, e2e, start: t, end: t + e2e, energyJ: watts === null ? null : (watts * e2e) / 1000 });
          t += e2e + 5;
        }
      }
      // Sample count of this run: big runs first, the rest spread evenly.
      sampleCarry += isBig ? bigSamples : perSmall;
      const n = Math.floor(sampleCarry);
      sampleCarry -= n;
      if (isBig) t = Math.max(t, startedAt + n * 100);
      const endedAt = status === "running" ? null : Math.round(t + 50);
      const outTokens = results.reduce((a, r) => a + r.out, 0);
      const totalJ = watts === null || status !== 'completed' ? null : (watts * (t - startedAt)) / 1000;
      const energySource = watts === null || status !== 'completed' ? null : machine.power === 'rapl+nvidia' ? 'rapl+nvidia' : machine.power;
      const metric = (xs: number[]) => summarize(xs);
      const metrics: RunMetrics = {
        ttftMs: metric(results.map((r) => r.ttft)),
        promptTokensPerSec: metric(results.map((r) => (r.pt / r.ttft) * 1000)),
        genTokensPerSec: metric(results.map((r) => r.tps)),
        interTokenMs: metric(results.map((r) => 1000 / r.tps)),
        e2eMs: metric(results.map((r) => r.e2e)),
      };
      const promptSummaries: PromptSummary[] = prompts.map((pr, p) => {
        const rs = results.filter((r) => r.promptIndex === p);
        return {
          promptId: pr.id,
          promptIndex: p,
          title: pr.title,
          metrics: {
            ttftMs: metric(rs.map((r) => r.ttft)),
            promptTokensPerSec: metric(rs.map((r) => (r.pt / r.ttft) * 1000)),
            genTokensPerSec: metric(rs.map((r) => r.tps)),
            interTokenMs: metric(rs.map((r) => 1000 / r.tps)),
            e2eMs: metric(rs.map((r) => r.e2e)),
          },
          promptTokens: pr.promptTokens,
          outputTokens: metric(rs.map((r) => r.out)),
          energyJ: metric(rs.map((r) => r.energyJ).filter((x): x is number => x !== null)),
        };
      });
      const summary: RunSummaryJson | null =
        status === 'running'
          ? null
          : { metrics, prompts: promptSummaries, totalOutputTokens: outTokens, totalPromptTokens: results.reduce((a, r) => a + r.pt, 0), energy: null };
      const settings = { suite: suiteName, promptCount: prompts.length, reps, warmup: 1, threads, contextSize: 2048, maxTokens: null, seed: 42, power: machine.power, idleSeconds: 5 };
      const runtime = { nodeLlamaCpp: '3.21.1', llamaCppRelease: 'b6250', backend: machine.gpus.length && machine.power === 'rapl+nvidia' ? 'cuda' : 'cpu', gpuLayers: machine.power === 'rapl+nvidia' ? 999 : 0 };
      const genTps = metrics.genTokensPerSec?.mean ?? null;
      const info = insRun.run(
        status, modelIndex + 1, hwIndex + 1, suiteName, i % 97 === 0 ? 'workshop' : null, threads, reps, 1, 2048, null, 42,
        model.chat ? 'chat' : 'completion', JSON.stringify(settings), JSON.stringify(runtime), isRunning ? process.pid : 100_000 + i, null,
        startedAt, endedAt, 300 + model.size / 5e6, Math.round(model.size * 1.2 + 200e6), status === 'failed' ? 'model load failed: out of memory' : null,
        status === 'completed' ? genTps : null, status === 'completed' ? (metrics.ttftMs?.mean ?? null) : null,
        totalJ !== null && outTokens > 0 ? totalJ / outTokens : null, totalJ, energySource, outTokens, summary ? JSON.stringify(summary) : null,
      );
      const runId = Number(info.lastInsertRowid);
      stats.runs++;
      if (isBig) stats.bigRunIds.push(runId);
      if (isRunning) stats.runningRunId = runId;

      for (const r of results) {
        insResult.run(runId, prompts[r.promptIndex].id, r.promptIndex, r.rep, r.pt, r.out, r.ttft, (r.pt / r.ttft) * 1000, r.tps, 1000 / r.tps,
          1300 / r.tps, r.e2e, r.out >= prompts[r.promptIndex].maxTokens ? 'max-tokens' : 'eog', Math.round(r.start), Math.round(r.end),
          SAMPLE_TEXT[(r.promptIndex + modelIndex) % SAMPLE_TEXT.length], r.energyJ);
        stats.results++;
      }

      if (totalJ !== null) {
        const dur = (t - startedAt) / 1000;
        const rows: [string, string, string, string, number][] =
          machine.power === 'estimate'
            ? [['estimate', 'cpu', 'cpu-package', 'modelled', 1]]
            : machine.power === 'rapl'
              ? [['rapl', 'package-0', 'cpu-package', 'counter', 0.85], ['rapl', 'dram', 'dram', 'counter', 0.15]]
              : [['rapl', 'package-0', 'cpu-package', 'counter', 0.25], ['nvidia', 'gpu0', 'gpu-board', 'integrated-power', 0.75]];
        for (const [source, domain, boundary, method, share] of rows) {
          const j = totalJ * share;
          insEnergy.run(runId, null, source, domain, boundary, method, j, j - machine.idleW * share * dur, j / dur, (j / dur) * 1.3,
            machine.idleW * share, 0, source === 'estimate' ? 'estimate: CodeCarbon CPU-load model, TDP 65 W' : null,
            source === 'estimate' ? 'CodeCarbon CPU-load model, TDP 65 W' : null);
          stats.energyRows++;
        }
      }

      // Samples: 10 Hz from the start, shaped by the results (busy while generating).
      const span = Math.max(1, (endedAt ?? t) - startedAt);
      const step = isBig ? 100 : Math.max(100, Math.floor(span / Math.max(1, n)));
      let tokens = 0;
      let ri = 0;
      const rssBase = model.size * 1.1 + 150e6;
      const memBase = machine.memGiB * 1024 ** 3 * 0.35;
      for (let k = 0; k < n; k++) {
        const ts = startedAt + k * step;
        while (ri < results.length && results[ri].end < ts) ri++;
        const active = ri < results.length && results[ri].start <= ts ? results[ri] : null;
        const phase = ts < startedAt + 1000 ? 'load' : active ? 'measure' : 'warmup';
        if (active) tokens += Math.round((active.tps * step) / 1000);
        const busy = active ? 0.85 + 0.1 * rand() : 0.1 + 0.1 * rand();
        const cpu = Math.min(100, (busy * threads * 100) / machine.threads + 3 * rand());
        let power: string | null = null;
        let powerW: number | null = null;
        if (watts !== null) {
          const w = machine.idleW + (watts - machine.idleW) * busy + gauss() * 0.5;
          if (machine.power === 'rapl') {
            power = JSON.stringify([
              { source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', watts: +(w * 0.85).toFixed(2) },
              { source: 'rapl', domain: 'dram', boundary: 'dram', method: 'counter', watts: +(w * 0.15).toFixed(2) },
            ]);
          } else if (machine.power === 'estimate') {
            power = JSON.stringify([{ source: 'estimate', domain: 'cpu', boundary: 'cpu-package', method: 'modelled', watts: +w.toFixed(2) }]);
          } else {
            power = JSON.stringify([
              { source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', watts: +(w * 0.25).toFixed(2) },
              { source: 'nvidia', domain: 'gpu0', boundary: 'gpu-board', method: 'integrated-power', watts: +(w * 0.75).toFixed(2) },
            ]);
          }
          powerW = +w.toFixed(2);
        }
        insSample.run(runId, ts, phase, active ? active.promptIndex : null, +cpu.toFixed(1), Math.round(rssBase + 5e6 * rand()),
          Math.round(memBase + rssBase + 20e6 * rand()), tokens, powerW, power);
        stats.samples++;
      }
    }
  });
  const chunk = 500;
  for (let i = 0; i < nRuns; i += chunk) writeRuns(i, Math.min(nRuns, i + chunk));
  c.pragma('synchronous = NORMAL');
  // What the run writer does at the end of each long run: store its downsampled chart series.
  const storeStart = performance.now();
  stats.storedSeries = backfillRunSeries(db).length;
  stats.storeSeriesMs = performance.now() - storeStart;
  c.exec('ANALYZE');
  c.close();
  stats.ms = performance.now() - started;
  return stats;
}
