// Runs a suite against one model while the sampler records the machine, writing everything to the database
// as it goes: a crash or Ctrl-C keeps every result and sample gathered so far.
import { getModuleVersion, type LlamaModel, type LlamaContext } from 'node-llama-cpp';
import type { Db } from '../db/openDb';
import { createRun, finishRun, insertResult, insertSamples, upsertHardware, upsertModel, type RunEnd } from '../db/runWriter';
import { processStartTicks } from '../db/processIdentity';
import { ModelLoadError, WattbenchError, ExitCode } from '../errors/WattbenchError';
import type { HardwareFacts } from '../hardware/detectHardware';
import type { ModelFacts } from '../model/inspectModelFile';
import { readsAtEdges, type PowerSource } from '../power/types';
import { createSampler, type SamplerState } from '../sampler/createSampler';
import type { LoadedSuite } from '../suites/loadSuite';
import { loadLlama } from './loadLlama';
import { measureRepetition } from './measureRepetition';
import { planPromptFormat, type PromptFormatChoice } from './buildPromptTokens';
import { preparePrompts, resolveContextSize, type PreparedPrompt } from './preparePrompts';
import { summarizeRun } from './summarizeRun';
import type { RepetitionResult, RunSummaryJson } from './types';
import { accountEnergy, type EnergyAccount } from './accountEnergy';
import { describeEngine, type EngineInfo } from '../engine/describeEngine';
import { defaultThreads } from '../hardware/detectHardware';
import { chooseThreads, type ThreadChoice } from './chooseThreads';

export interface BenchmarkSettings {
  /**
   * CPU threads for llama.cpp; always explicit (node-llama-cpp's default oversubscribes small machines).
   * "auto": the fastest counts for prompt processing and for generation, calibrated per machine, build and model size.
   */
  threads: number | 'auto';
  /** Measured repetitions per prompt. */
  reps: number;
  /** Unmeasured warm-up runs per prompt before the repetitions. */
  warmup: number;
  /** Context size, tokens; "auto" fits the suite's longest prompt within the model's training context. */
  contextSize: number | 'auto';
  /** Caps every prompt's output token limit; undefined keeps the suite's limits. */
  maxTokens?: number;
  /** Sampling seed; also seeds synthetic prompts. */
  seed: number;
  label?: string;
  /** Seconds of idle power measured after loading, before the first prompt. */
  idleSeconds: number;
  /** Sampling interval, ms (100 = 10 Hz). */
  sampleIntervalMs: number;
  /** Layers offloaded to a GPU: "auto" (node-llama-cpp decides), "max", or a number. */
  gpuLayers: 'auto' | 'max' | number;
  /** The power sources requested (for the record): "auto" or a list. */
  power: string;
  /** Chat template or raw completion; "auto" follows the model. Defaults to "auto". */
  promptFormat?: PromptFormatChoice;
}

export interface BenchmarkProgress {
  onStage?(stage: 'loading' | 'calibrating' | 'idle' | 'running' | 'finishing', detail?: string): void;
  /** Once the llama.cpp binary is loaded: which one, and what it lacks. */
  onEngine?(engine: EngineInfo): void;
  /** Once the thread counts are chosen. */
  onThreads?(choice: ThreadChoice): void;
  /** Before each generation: `step` counts warm-ups and repetitions from 1 to `totalSteps`. */
  onStep?(info: { prompt: PreparedPrompt; rep: number; warmup: boolean; step: number; totalSteps: number; reps: number; warmups: number }): void;
  onResult?(result: RepetitionResult): void;
}

export interface RunBenchmarkOptions {
  db: Db;
  /** What the user passed to --model (a path, hf: URI or URL), for the record. */
  modelSpec: string;
  modelPath: string;
  modelFacts: ModelFacts;
  suite: LoadedSuite;
  settings: BenchmarkSettings;
  hardware: HardwareFacts;
  /** Power sources, not yet started. Defaults to none. */
  powerSources?: PowerSource[];
  /** Aborting stops after the current token: the run ends "interrupted". */
  signal?: AbortSignal;
  progress?: BenchmarkProgress;
}

export interface BenchmarkOutcome {
  runId: number;
  status: RunEnd['status'];
  summary: RunSummaryJson;
  energy: EnergyAccount | null;
  /** The sampler's own cost, % of one core. */
  samplerCpuPercent: number;
  engine: EngineInfo;
  threads: ThreadChoice;
  error?: string;
}

export async function runBenchmark(opts: RunBenchmarkOptions): Promise<BenchmarkOutcome> {
  const { db, settings, suite } = opts;
  const state: SamplerState = { phase: 'load', promptIndex: null, tokensGenerated: 0 };
  const powerSources = opts.powerSources ?? [];
  const startedAt = Date.now();
  for (const source of powerSources) await source.start({ nowMs: startedAt, cpuUtilisation: 0 });
  const markEdges = readsAtEdges(powerSources);
  const sampler = createSampler({ intervalMs: settings.sampleIntervalMs, getState: () => state, powerSources });
  sampler.start();
  let model: LlamaModel | null = null;
  let context: LlamaContext | null = null;
  let runId: number | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  const measured: RepetitionResult[] = [];
  const resultIds: number[] = [];
  const stopSampling = async (): Promise<void> => {
    if (flushTimer) clearInterval(flushTimer);
    sampler.stop();
    for (const source of powerSources) await source.stop().catch(() => undefined);
    if (runId !== null) insertSamples(db, runId, sampler.drain());
  };

  try {
    opts.progress?.onStage?.('loading', opts.modelFacts.fileName);
    const llama = await loadLlama();
    const engine = describeEngine(llama);
    opts.progress?.onEngine?.(engine);
    const loadStart = performance.now();
    try {
      model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: settings.gpuLayers });
    } catch (err) {
      throw new ModelLoadError(
        `cannot load ${opts.modelPath}: ${firstLine(err)}; the file may be truncated or of an unsupported architecture — pass --model with another .gguf file`,
        opts.modelPath,
      );
    }
    const modelLoadMs = performance.now() - loadStart;
    const plan = planPromptFormat(model, settings.promptFormat);
    const prepared = preparePrompts(model, suite.suite, plan, { seed: settings.seed, maxTokens: settings.maxTokens });
    const contextSize = resolveContextSize(prepared, settings.contextSize, model.trainContextSize || null);
    const contextStart = performance.now();
    try {
      const initialThreads = settings.threads === 'auto' ? defaultThreads(opts.hardware) : settings.threads;
      context = await model.createContext({ contextSize, threads: initialThreads, sequences: 1 });
    } catch (err) {
      throw new WattbenchError(`cannot create a context of ${contextSize} tokens: ${firstLine(err)}; pass a smaller --context`, ExitCode.badInput);
    }
    // Load time: the weights and the context, not the tokenisation in between.
    const loadMs = modelLoadMs + (performance.now() - contextStart);
    // One sequence, reused: each repetition clears its history.
    const sequence = context.getSequence();
    if (settings.threads === 'auto') opts.progress?.onStage?.('calibrating');
    const threads = await chooseThreads({
      db,
      requested: settings.threads,
      hardware: opts.hardware,
      engine,
      model,
      modelFile: opts.modelFacts,
      sequence,
      seed: settings.seed,
      signal: opts.signal,
      onCalibrate: (n, i, total) => opts.progress?.onStage?.('calibrating', `${n} thread${n === 1 ? '' : 's'} (${i + 1} of ${total})`),
    });
    opts.progress?.onThreads?.(threads);

    // Everything checked: from here on the run exists in the database.
    const hardwareId = upsertHardware(db, opts.hardware);
    const modelId = upsertModel(db, opts.modelFacts);
    runId = createRun(db, {
      modelId,
      hardwareId,
      suite: suite.suite.name,
      label: settings.label ?? null,
      threads: threads.gen,
      reps: settings.reps,
      warmup: settings.warmup,
      contextSize,
      maxTokens: settings.maxTokens ?? null,
      seed: settings.seed,
      promptFormat: plan.format,
      settings: {
        ...settings,
        threads: threads.gen,
        promptThreads: threads.prompt,
        threadChoice: threads,
        contextSize,
        model: opts.modelSpec,
        suite: suite.suite.name,
        suiteOrigin: suite.origin,
        suiteVersion: suite.suite.version,
        temperature: suite.suite.temperature,
        chatWrapper: plan.chatWrapper,
        prompts: prepared.map((p) => ({ id: p.prompt.id, title: p.prompt.title, lang: p.prompt.lang, task: p.prompt.task, promptTokens: p.tokens.length, maxTokens: p.maxTokens })),
      },
      runtime: {
        nodeLlamaCppVersion: await getModuleVersion(),
        llamaCppRelease: llama.llamaCppRelease.release,
        llamaCppRepo: llama.llamaCppRelease.repo,
        buildType: llama.buildType,
        backend: engine.backend,
        engine,
        gpuLayers: model.gpuLayers,
        nodeVersion: process.version,
        systemInfo: llama.systemInfo,
        powerSources: powerSources.map((s) => ({ id: s.id, label: s.label })),
      },
      pid: process.pid,
      pidStartTicks: processStartTicks(process.pid),
      startedAt,
      loadMs,
      engine: engine.kind,
    });
    const id = runId;
    insertSamples(db, id, sampler.drain());
    flushTimer = setInterval(() => insertSamples(db, id, sampler.drain()), 1000);
    flushTimer.unref();

    if (settings.idleSeconds > 0 && !opts.signal?.aborted) {
      opts.progress?.onStage?.('idle', `${settings.idleSeconds} s`);
      state.phase = 'idle';
      await sleep(settings.idleSeconds * 1000, opts.signal);
    }

    opts.progress?.onStage?.('running');
    const totalSteps = prepared.length * (settings.warmup + settings.reps);
    let step = 0;
    outer: for (const p of prepared) {
      state.promptIndex = p.index;
      for (let i = 0; i < settings.warmup + settings.reps; i++) {
        if (opts.signal?.aborted) break outer;
        const warmup = i < settings.warmup;
        const rep = warmup ? i : i - settings.warmup;
        state.phase = warmup ? 'warmup' : 'measure';
        opts.progress?.onStep?.({ prompt: p, rep, warmup, step: ++step, totalSteps, reps: settings.reps, warmups: settings.warmup });
        const m = await measureRepetition({
          model,
          sequence,
          tokens: p.tokens,
          maxTokens: p.maxTokens,
          ignoreEos: p.prompt.ignoreEos,
          temperature: suite.suite.temperature,
          seed: settings.seed,
          signal: opts.signal,
          threads,
          onToken: () => void state.tokensGenerated++,
          // A tick at every boundary of a measured repetition: counters are read there, not split by time.
          // Only for sources that read a counter on demand; the others are pro rata whatever the ticks, and a
          // mark costs ~0.1 ms in the token loop (1–2 % of generation on a tiny model: bench/overhead.ts).
          onBoundary: warmup || !markEdges ? undefined : (_edge, epochMs) => sampler.mark(epochMs),
        });
        // A repetition cut short by Ctrl-C is not a measurement.
        if (warmup || m.stopReason === 'aborted') continue;
        const result: RepetitionResult = { promptId: p.prompt.id, promptIndex: p.index, rep, ...m, energyJ: null };
        measured.push(result);
        resultIds.push(insertResult(db, id, result));
        opts.progress?.onResult?.(result);
      }
    }
    state.phase = 'done';
    state.promptIndex = null;
    opts.progress?.onStage?.('finishing');
    await stopSampling();
    const energy = accountEnergy({ db, runId: id, samples: sampler.all, results: measured, resultIds, powerSources });
    const titles = new Map(prepared.map((p) => [p.prompt.id, p.prompt.title]));
    const summary = summarizeRun(measured, titles, energy?.json ?? null);
    const status = opts.signal?.aborted ? 'interrupted' : 'completed';
    finishRun(db, id, {
      status,
      endedAt: Date.now(),
      error: status === 'interrupted' ? 'interrupted by the user (Ctrl-C)' : null,
      peakRssBytes: sampler.peakRssBytes(),
      genTokensPerSec: summary.metrics.genTokensPerSec?.mean ?? null,
      ttftMs: summary.metrics.ttftMs?.mean ?? null,
      outputTokens: summary.totalOutputTokens,
      joulesPerToken: energy?.joulesPerToken ?? null,
      totalJ: energy?.totalJ ?? null,
      energySource: energy?.sourceLabel ?? null,
      energyBasis: energy?.summary.basis ?? 'none',
      summary,
    });
    return { runId: id, status, summary, energy, samplerCpuPercent: samplerCost(sampler.busyMs, startedAt), engine, threads };
  } catch (err) {
    await stopSampling().catch(() => undefined);
    if (runId !== null) {
      const message = err instanceof Error ? err.message : String(err);
      const summary = summarizeRun(measured);
      finishRun(db, runId, {
        status: 'failed',
        endedAt: Date.now(),
        error: message,
        peakRssBytes: sampler.peakRssBytes(),
        genTokensPerSec: summary.metrics.genTokensPerSec?.mean ?? null,
        ttftMs: summary.metrics.ttftMs?.mean ?? null,
        outputTokens: summary.totalOutputTokens,
        summary,
      });
      if (!(err instanceof WattbenchError)) throw new WattbenchError(`run ${runId} failed: ${firstLine(err)}`, ExitCode.runFailed);
    }
    throw err;
  } finally {
    await context?.dispose().catch(() => undefined);
    await model?.dispose().catch(() => undefined);
  }
}

function samplerCost(busyMs: number, startedAt: number): number {
  const elapsed = Date.now() - startedAt;
  return elapsed > 0 ? (busyMs / elapsed) * 100 : 0;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
