// The model half of a run's prepare stage: llama.cpp and the weights, which a sweep keeps loaded across the
// combinations that only change the context (threads, context size, batch); a different GPU layer count reloads.
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { ModelLoadError } from '../errors/WattbenchError';
import { describeEngine, type EngineInfo } from '../engine/describeEngine';
import { loadLlama } from './loadLlama';
import { firstLine } from './runEnding';
import { firstLlamaError, llamaLogMark } from './llamaLog';

export interface LoadedRunModel {
  llama: Llama;
  engine: EngineInfo;
  model: LlamaModel;
  modelPath: string;
  /** The GPU layers asked for ("auto", "max" or a count): what the loaded model answers to. */
  gpuLayers: 'auto' | 'max' | number;
  /** Loading the weights, ms (when they were loaded, for a model kept from an earlier run). */
  loadMs: number;
  /** Frees the model; never throws. */
  dispose(): Promise<void>;
}

export async function loadRunModel(opts: { modelPath: string; gpuLayers: 'auto' | 'max' | number; onEngine?: (engine: EngineInfo) => void }): Promise<LoadedRunModel> {
  const llama = await loadLlama();
  const engine = describeEngine(llama);
  opts.onEngine?.(engine);
  const loadStart = performance.now();
  const logMark = llamaLogMark();
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: opts.gpuLayers });
  } catch (err) {
    // node-llama-cpp's error is generic ("Failed to load model"); llama.cpp's first logged line says why.
    const cause = firstLlamaError(logMark);
    const why = cause ? `llama.cpp: ${cause}` : firstLine(err);
    throw new ModelLoadError(
      `cannot load ${opts.modelPath}: ${why}; the file may be truncated or of an unsupported architecture — pass --model with another .gguf file`,
      opts.modelPath,
    );
  }
  const loadMs = performance.now() - loadStart;
  return {
    llama,
    engine,
    model,
    modelPath: opts.modelPath,
    gpuLayers: opts.gpuLayers,
    loadMs,
    dispose: () => model.dispose().catch(() => undefined),
  };
}
