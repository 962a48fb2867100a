// Which loop generates tokens: wattbench's native loop (one native call for a whole generation, see
// native/generateTokens.cc and docs/performance.md) or node-llama-cpp's (two asynchronous native calls per
// token). Loaded once per process, after llama.cpp itself: the addon binds to the libllama node-llama-cpp loaded.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LlamaContext } from 'node-llama-cpp';
import { nodeLlamaCppDir } from './buildEngine';
import { GENERATION_LOOP_ABI, generationLoopPaths, type GenerationLoopBuildInfo } from './generationLoopPaths';

export type GenerationLoopKind = 'native' | 'node-llama-cpp';

/** Recorded with every run (in its engine description) and shown beside its speed. */
export interface GenerationLoopInfo {
  kind: GenerationLoopKind;
  /** Why generation is not on the native loop (null when it is). */
  reason: string | null;
}

export interface NativeGenerateOptions {
  sequenceId: number;
  /** Position of `firstToken` in the sequence. */
  startPos: number;
  /** The token sampled last, not yet decoded. */
  firstToken: number;
  /** Tokens to generate after firstToken. */
  maxTokens: number;
  ignoreEos: boolean;
  threads: number;
  /** [0]: set to 1 to stop after the current token; [1]: tokens generated so far, written by the loop. */
  control: Int32Array;
}

export interface NativeGenerateResult {
  tokens: Int32Array;
  /** When each token was sampled, on the process's monotonic clock (ns, as process.hrtime.bigint). */
  stampsNs: Float64Array;
  stop: 'eog' | 'max-tokens' | 'aborted';
}

export interface NativeGenerationLoop {
  generate(context: LlamaContext, opts: NativeGenerateOptions): Promise<NativeGenerateResult>;
}

interface GenerateTokensAddon {
  abiVersion: number;
  generate(addonContext: object, opts: NativeGenerateOptions & { contextSize: number; threadsBatch: number }): Promise<NativeGenerateResult>;
}

/** node-llama-cpp's internal handle on its native context object (the package is pinned to one version). */
interface ContextInternals {
  _ctx?: object;
}

export interface LoadedGenerationLoop {
  loop: NativeGenerationLoop | null;
  info: GenerationLoopInfo;
}

let loaded: LoadedGenerationLoop | null = null;

/**
 * The native loop when it is built for this node-llama-cpp and loads, else null with the reason. Call only after
 * node-llama-cpp has loaded its binary (loadLlama): the addon links to libllama by name, and must find that one.
 * WATTBENCH_GENERATION_LOOP=node-llama-cpp keeps node-llama-cpp's loop (to compare the two).
 */
export function loadGenerationLoop(): LoadedGenerationLoop {
  loaded ??= tryLoad();
  return loaded;
}

function tryLoad(): LoadedGenerationLoop {
  const fallback = (reason: string): LoadedGenerationLoop => ({ loop: null, info: { kind: 'node-llama-cpp', reason } });
  if (process.env.WATTBENCH_GENERATION_LOOP === 'node-llama-cpp') return fallback('WATTBENCH_GENERATION_LOOP=node-llama-cpp asked for it');
  const paths = generationLoopPaths();
  const build = readBuildInfo(paths.info);
  if (!fs.existsSync(paths.addon) || !build) return fallback('the native generation loop is not built: run `npm run build:native` (a few seconds, needs a C++ compiler)');
  const installed = installedNodeLlamaCppVersion();
  if (build.abi !== GENERATION_LOOP_ABI || build.nodeLlamaCppVersion !== installed) {
    return fallback(`the native generation loop was built for node-llama-cpp ${build.nodeLlamaCppVersion} (interface ${build.abi}), ${installed} is installed: run \`npm run build:native\``);
  }
  let addon: GenerateTokensAddon;
  try {
    addon = createRequire(import.meta.url)(paths.addon) as GenerateTokensAddon;
  } catch (err) {
    return fallback(`the native generation loop does not load: ${(err as Error).message.split('\n')[0]}`);
  }
  if (addon.abiVersion !== GENERATION_LOOP_ABI) return fallback(`the native generation loop has interface ${addon.abiVersion}, ${GENERATION_LOOP_ABI} expected: run \`npm run build:native\``);
  const loop: NativeGenerationLoop = {
    generate(context, opts) {
      const handle = (context as unknown as ContextInternals)._ctx;
      if (!handle) return Promise.reject(new Error("node-llama-cpp's context has no native handle"));
      return addon.generate(handle, { ...opts, contextSize: context.contextSize, threadsBatch: opts.threads });
    },
  };
  return { loop, info: { kind: 'native', reason: null } };
}

function readBuildInfo(file: string): GenerationLoopBuildInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as GenerationLoopBuildInfo;
  } catch {
    return null;
  }
}

function installedNodeLlamaCppVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(nodeLlamaCppDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** node-llama-cpp's internal sequence id (needed to address the sequence's cells in the KV cache). */
export function sequenceIdOf(sequence: object): number {
  const id = (sequence as { _sequenceId?: unknown })._sequenceId;
  if (typeof id !== 'number') throw new Error("node-llama-cpp's sequence has no id");
  return id;
}
