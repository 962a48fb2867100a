// The first stage of a run, before anything is written: load llama.cpp and the model, tokenise every prompt
// (rejecting any that cannot fit), create the context and choose the thread counts.
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { Db } from '../db/openDb';
import { ModelLoadError, WattbenchError, ExitCode } from '../errors/WattbenchError';
import { describeEngine, type EngineInfo } from '../engine/describeEngine';
import { defaultThreads, type HardwareFacts } from '../hardware/detectHardware';
import type { ModelFacts } from '../model/inspectModelFile';
import type { LoadedSuite } from '../suites/loadSuite';
import { loadLlama } from './loadLlama';
import { planPromptFormat, type PromptPlan } from './buildPromptTokens';
import { preparePrompts, resolveContextSize, type PreparedPrompt } from './preparePrompts';
import { chooseThreads, type ThreadChoice } from './chooseThreads';
import { firstLine } from './runEnding';
import type { BenchmarkProgress, BenchmarkSettings } from './runBenchmark';
import { firstLlamaError, llamaLogMark } from './llamaLog';

/** Recorded in each run's settings. */
export const FLASH_ATTENTION = 'auto';

export interface PrepareRunOptions {
  db: Db;
  modelPath: string;
  modelFacts: ModelFacts;
  suite: LoadedSuite;
  settings: BenchmarkSettings;
  hardware: HardwareFacts;
  signal: AbortSignal;
  progress?: BenchmarkProgress;
}

export interface PreparedRun {
  llama: Llama;
  engine: EngineInfo;
  model: LlamaModel;
  context: LlamaContext;
  /** One sequence, reused: each repetition clears its history. */
  sequence: LlamaContextSequence;
  plan: PromptPlan;
  prompts: PreparedPrompt[];
  contextSize: number;
  /** The weights and the context, not the tokenisation in between, ms. */
  loadMs: number;
  threads: ThreadChoice;
  /** Frees the context and the model; never throws. */
  dispose(): Promise<void>;
}

export async function prepareRun(opts: PrepareRunOptions): Promise<PreparedRun> {
  const { settings } = opts;
  opts.progress?.onStage?.('loading', opts.modelFacts.fileName);
  const llama = await loadLlama();
  const engine = describeEngine(llama);
  opts.progress?.onEngine?.(engine);
  const loadStart = performance.now();
  let model: LlamaModel;
  const logMark = llamaLogMark();
  try {
    model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: settings.gpuLayers });
  } catch (err) {
    // node-llama-cpp's error is generic ("Failed to load model"); llama.cpp's first logged line says why.
    const cause = firstLlamaError(logMark);
    const why = cause ? `llama.cpp: ${cause}` : firstLine(err);
    throw new ModelLoadError(
      `cannot load ${opts.modelPath}: ${why}; the file may be truncated or of an unsupported architecture — pass --model with another .gguf file`,
      opts.modelPath,
    );
  }
  let context: LlamaContext | null = null;
  const dispose = async (): Promise<void> => {
    await context?.dispose().catch(() => undefined);
    await model.dispose().catch(() => undefined);
  };
  try {
    const modelLoadMs = performance.now() - loadStart;
    const plan = planPromptFormat(model, settings.promptFormat);
    const prompts = preparePrompts(model, opts.suite.suite, plan, { seed: settings.seed, maxTokens: settings.maxTokens });
    const contextSize = resolveContextSize(prompts, settings.contextSize, model.trainContextSize || null);
    const contextStart = performance.now();
    try {
      const initialThreads = settings.threads === 'auto' ? defaultThreads(opts.hardware) : settings.threads;
      // Flash attention where llama.cpp supports it on the device, as llama.cpp and llama-bench decide by default
      // (node-llama-cpp's default is off: 12–15 % slower generation on this project's CPU, docs/performance.md).
      context = await model.createContext({ contextSize, threads: initialThreads, sequences: 1, flashAttention: FLASH_ATTENTION });
    } catch (err) {
      throw new WattbenchError(`cannot create a context of ${contextSize} tokens: ${firstLine(err)}; pass a smaller --context`, ExitCode.badInput);
    }
    const loadMs = modelLoadMs + (performance.now() - contextStart);
    const sequence = context.getSequence();
    if (settings.threads === 'auto') opts.progress?.onStage?.('calibrating');
    const threads = await chooseThreads({
      db: opts.db,
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
    return { llama, engine, model, context, sequence, plan, prompts, contextSize, loadMs, threads, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
