// One timed generation: prompt in, tokens out, each token stamped as it arrives.
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { loadGenerationLoop, sequenceIdOf, type NativeGenerationLoop } from '../engine/generationLoop';
import { quantile } from '../stats/summarize';
import { setContextThreads } from './contextThreads';
import type { MeasuredRepetition, StopReason } from './types';

export interface MeasureRepetitionOptions {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  /** The prompt, already tokenised. */
  tokens: Token[];
  /** Output token limit. */
  maxTokens: number;
  /** Keep generating through end-of-generation tokens (llama-bench's tgN). */
  ignoreEos: boolean;
  temperature: number;
  seed: number;
  /** Checked after every token: stops generation with stop reason "aborted". */
  signal?: AbortSignal;
  /** Called as tokens are generated, with how many (the sampler's token counter). */
  onTokens?: (count: number) => void;
  /**
   * While the native loop runs, a function that reads how many tokens it has generated so far (then null): the
   * sampler's ticks read it, since no JavaScript runs per token there.
   */
  onPendingTokens?: (read: (() => number) | null) => void;
  /**
   * The loop that generates after the first token: the process's native loop when absent (loadGenerationLoop),
   * null for node-llama-cpp's. The native loop samples greedily, so any temperature above 0 uses node-llama-cpp's.
   */
  generationLoop?: NativeGenerationLoop | null;
  /** Threads for prompt processing and for generation; absent: the context's own count throughout. */
  threads?: PhaseThreads;
  /**
   * Called synchronously at each window boundary with the epoch ms recorded for it (startedAt,
   * firstTokenAt, endedAt), before anything else can run: the runner reads the counters there.
   */
  onBoundary?: (edge: RepetitionBoundary, epochMs: number) => void;
}

export interface PhaseThreads {
  prompt: number;
  gen: number;
}

/** Start of prompt processing, first token (end of prompt processing), end of generation. */
export type RepetitionBoundary = 'start' | 'first-token' | 'end';

export type { MeasuredRepetition };

export async function measureRepetition(opts: MeasureRepetitionOptions): Promise<MeasuredRepetition> {
  const { model, sequence, tokens } = opts;
  // A fresh KV cache each time, so prompt processing is really measured (no prefix reuse).
  await sequence.clearHistory();
  // Stop at the context limit rather than let a context shift happen mid-measurement.
  const room = sequence.context.contextSize - tokens.length;
  const limit = Math.min(opts.maxTokens, room);
  const output: Token[] = [];
  const stamps: number[] = [];
  let stopReason: StopReason = 'eog';

  if (opts.threads) setContextThreads(sequence.context, opts.threads.prompt);
  // Boundaries are Date.now() at the moment itself, the sampler's clock, so that a tick taken at a
  // boundary is never stamped before the timed sample that preceded it; durations come from performance.now().
  const startedAt = Date.now();
  const t0 = performance.now();
  opts.onBoundary?.('start', startedAt);
  let firstTokenAt: number | null = null;
  let endedAt: number | null = null;
  const nativeLoop = opts.temperature === 0 ? (opts.generationLoop === undefined ? loadGenerationLoop().loop : opts.generationLoop) : null;
  if (limit > 0) {
    const generator = sequence.evaluate(tokens, {
      temperature: opts.temperature,
      seed: opts.seed,
      yieldEogToken: opts.ignoreEos,
    });
    let handOver = false;
    for await (const token of generator) {
      stamps.push(performance.now());
      // The prompt is processed: the next decodes are single tokens.
      if (output.length === 0 && opts.threads) setContextThreads(sequence.context, opts.threads.gen);
      output.push(token);
      if (output.length === 1) {
        firstTokenAt = Date.now();
        opts.onBoundary?.('first-token', firstTokenAt);
      }
      opts.onTokens?.(1);
      const stop: StopReason | null = opts.signal?.aborted ? 'aborted' : output.length >= limit ? (limit < opts.maxTokens ? 'context-full' : 'max-tokens') : null;
      if (stop) {
        stopReason = stop;
        // The generator's clean-up after `break` is not part of the repetition.
        endedAt = Date.now();
        opts.onBoundary?.('end', endedAt);
        break;
      }
      // After the first token, the rest of the generation is one native call when the loop is there.
      if (nativeLoop) {
        handOver = true;
        break;
      }
    }
    if (handOver && nativeLoop) {
      const rest = await generateNatively(nativeLoop, opts, output[0], limit - 1);
      output.push(...rest.tokens);
      stamps.push(...rest.stamps);
      stopReason = rest.stop === 'max-tokens' ? (limit < opts.maxTokens ? 'context-full' : 'max-tokens') : rest.stop;
      endedAt = Date.now();
      opts.onBoundary?.('end', endedAt);
    }
  } else {
    stopReason = 'context-full';
  }
  // Stopped by the model: the end is when the generator finished (the last decode step included).
  if (endedAt === null) {
    endedAt = Date.now();
    opts.onBoundary?.('end', endedAt);
  }
  const tEnd = stamps.length ? stamps[stamps.length - 1] : performance.now();
  const ttftMs = (stamps[0] ?? tEnd) - t0;
  const gaps = stamps.slice(1).map((s, i) => s - stamps[i]);
  const genMs = tEnd - (stamps[0] ?? tEnd);
  return {
    promptTokens: tokens.length,
    outputTokens: output.length,
    ttftMs,
    promptTokensPerSec: ttftMs > 0 ? tokens.length / (ttftMs / 1000) : 0,
    genTokensPerSec: output.length > 1 && genMs > 0 ? (output.length - 1) / (genMs / 1000) : null,
    interTokenP50Ms: gaps.length ? quantile(gaps, 0.5) : null,
    interTokenP95Ms: gaps.length ? quantile(gaps, 0.95) : null,
    e2eMs: tEnd - t0,
    stopReason,
    startedAt,
    firstTokenAt,
    endedAt,
    output: model.detokenize(output.filter((t) => !model.isEogToken(t))),
  };
}

/** Tokens 2…limit in one native call, stamped on performance.now()'s time line. */
async function generateNatively(
  loop: NativeGenerationLoop,
  opts: MeasureRepetitionOptions,
  firstToken: Token,
  maxTokens: number,
): Promise<{ tokens: Token[]; stamps: number[]; stop: 'eog' | 'max-tokens' | 'aborted' }> {
  const { sequence } = opts;
  const control = new Int32Array(2);
  const abort = (): void => void (control[0] = 1);
  opts.signal?.addEventListener('abort', abort, { once: true });
  opts.onPendingTokens?.(() => control[1]);
  // performance.now() and process.hrtime (the loop's clock) are the same monotonic clock from different origins.
  const originMs = performance.now() - Number(process.hrtime.bigint()) / 1e6;
  try {
    const result = await loop.generate(sequence.context, {
      sequenceId: sequenceIdOf(sequence),
      startPos: sequence.nextTokenIndex,
      firstToken,
      maxTokens,
      ignoreEos: opts.ignoreEos,
      threads: opts.threads?.gen ?? sequence.context.currentThreads,
      control,
    });
    opts.onTokens?.(result.tokens.length);
    return {
      tokens: Array.from(result.tokens) as Token[],
      stamps: Array.from(result.stampsNs, (ns) => originMs + ns / 1e6),
      stop: result.stop,
    };
  } finally {
    opts.onPendingTokens?.(null);
    opts.signal?.removeEventListener('abort', abort);
  }
}
