// The first stage of a run, before anything is written: load llama.cpp and the model (loadRunModel, unless a
// sweep kept it loaded), tokenise every prompt (rejecting any that cannot fit), create the context and choose
// the thread counts.
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { Db } from '../db/openDb';
import { WattbenchError, ExitCode } from '../errors/WattbenchError';
import type { EngineInfo } from '../engine/describeEngine';
import { defaultThreads, type HardwareFacts } from '../hardware/detectHardware';
import type { ModelFacts } from '../model/inspectModelFile';
import type { LoadedSuite } from '../suites/loadSuite';
import { loadRunModel, type LoadedRunModel } from './loadRunModel';
import { planPromptFormat, type PromptPlan } from './buildPromptTokens';
import { preparePrompts, resolveContextSize, type PreparedPrompt } from './preparePrompts';
import { chooseThreads, type ThreadChoice } from './chooseThreads';
import { firstLine } from './runEnding';
import type { BenchmarkProgress, BenchmarkSettings } from './runBenchmark';

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
  /**
   * A sweep's model, kept loaded across its runs: used when it is this file with these GPU layers, else freed
   * and replaced by the one loaded here. Its owner frees the last one.
   */
  modelHolder?: ModelHolder;
}

export interface ModelHolder {
  loaded: LoadedRunModel | null;
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
  /** The weights and the context, not the tokenisation in between, ms (a kept model's weights: when loaded). */
  loadMs: number;
  /** The weights were kept loaded from an earlier run of the sweep. */
  modelReused: boolean;
  /** llama.cpp's batch size, tokens, as the context has it. */
  batchSize: number;
  threads: ThreadChoice;
  /** Frees the context and the model; never throws. */
  dispose(): Promise<void>;
}

export async function prepareRun(opts: PrepareRunOptions): Promise<PreparedRun> {
  const { settings } = opts;
  // A model in the sweep's holder is the holder's to free; one loaded without a holder is freed with the context.
  const holder = opts.modelHolder;
  const held = holder?.loaded ?? null;
  const kept = held && held.modelPath === opts.modelPath && held.gpuLayers === settings.gpuLayers ? held : null;
  if (holder && held && !kept) {
    holder.loaded = null;
    await held.dispose();
  }
  if (kept) opts.progress?.onEngine?.(kept.engine);
  else opts.progress?.onStage?.('loading', opts.modelFacts.fileName);
  const loaded = kept ?? (await loadRunModel({ modelPath: opts.modelPath, gpuLayers: settings.gpuLayers, onEngine: opts.progress?.onEngine }));
  if (holder) holder.loaded = loaded;
  const { llama, engine, model } = loaded;
  let context: LlamaContext | null = null;
  const dispose = async (): Promise<void> => {
    await context?.dispose().catch(() => undefined);
    if (!holder) await loaded.dispose();
  };
  try {
    const modelLoadMs = loaded.loadMs;
    const plan = planPromptFormat(model, settings.promptFormat);
    const prompts = preparePrompts(model, opts.suite.suite, plan, { seed: settings.seed, maxTokens: settings.maxTokens });
    const contextSize = resolveContextSize(prompts, settings.contextSize, model.trainContextSize || null);
    const contextStart = performance.now();
    try {
      const initialThreads = settings.threads === 'auto' ? defaultThreads(opts.hardware) : settings.threads;
      // Flash attention where llama.cpp supports it on the device, as llama.cpp and llama-bench decide by default
      // (node-llama-cpp's default is off: 12–15 % slower generation on this project's CPU, docs/performance.md).
      context = await model.createContext({ contextSize, threads: initialThreads, sequences: 1, batchSize: settings.batchSize, flashAttention: FLASH_ATTENTION });
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
    return { llama, engine, model, context, sequence, plan, prompts, contextSize, loadMs, modelReused: kept !== null, batchSize: context.batchSize, threads, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
