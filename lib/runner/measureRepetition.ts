// One timed generation: prompt in, tokens out, each token stamped as it arrives.
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
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
  /** Called for every generated token (the sampler's token counter). */
  onToken?: () => void;
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
  if (limit > 0) {
    const generator = sequence.evaluate(tokens, {
      temperature: opts.temperature,
      seed: opts.seed,
      yieldEogToken: opts.ignoreEos,
    });
    for await (const token of generator) {
      stamps.push(performance.now());
      // The prompt is processed: the next decodes are single tokens.
      if (output.length === 0 && opts.threads) setContextThreads(sequence.context, opts.threads.gen);
      output.push(token);
      if (output.length === 1) {
        firstTokenAt = Date.now();
        opts.onBoundary?.('first-token', firstTokenAt);
      }
      opts.onToken?.();
      const stop: StopReason | null = opts.signal?.aborted ? 'aborted' : output.length >= limit ? (limit < opts.maxTokens ? 'context-full' : 'max-tokens') : null;
      if (stop) {
        stopReason = stop;
        // The generator's clean-up after `break` is not part of the repetition.
        endedAt = Date.now();
        opts.onBoundary?.('end', endedAt);
        break;
      }
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
