// One repetition against a server: the request streamed, each chunk stamped on arrival, turned into the same
// figures a local repetition gives. Tokens are the server's own counts (usage), never counted from text.
import { quantile } from '../stats/summarize';
import type { RepetitionHooks } from '../runner/measureSuite';
import type { MeasuredRepetition, StopReason } from '../runner/types';
import { streamOllama } from './ollamaStream';
import { streamOpenAi } from './openaiStream';
import { ServerReplyError, type ServerApi, type ServerRequest, type StreamedReply } from './types';

export interface ServerTarget {
  baseUrl: string;
  api: ServerApi;
  kind: string;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
}

export async function measureServerRepetition(target: ServerTarget, req: ServerRequest, hooks: RepetitionHooks): Promise<MeasuredRepetition> {
  // Boundaries on Date.now() at the moment itself (the sampler's clock); durations from performance.now().
  const startedAt = Date.now();
  hooks.onBoundary?.('start', startedAt);
  let firstTokenAt: number | null = null;
  const streamOpts = {
    idleTimeoutMs: target.idleTimeoutMs,
    connectTimeoutMs: target.connectTimeoutMs,
    signal: hooks.signal,
    onFirstContent: () => {
      firstTokenAt = Date.now();
      hooks.onBoundary?.('first-token', firstTokenAt);
    },
  };
  const reply = target.api === 'ollama' ? await streamOllama(target.baseUrl, req, streamOpts) : await streamOpenAi(target.baseUrl, target.kind, req, streamOpts);
  const endedAt = Date.now();
  hooks.onBoundary?.('end', endedAt);
  return repetitionOf(reply, req, { startedAt, firstTokenAt, endedAt });
}

/**
 * The figures of one streamed reply, by the local runner's rules so the two compare:
 * - TTFT: request sent → arrival of the first chunk that carried text;
 * - generation tok/s: the server's output token count (usage) minus the first token, over the time from the
 *   first to the last chunk carrying text (the first token's time is the TTFT's, as in measureRepetition);
 * - inter-token p50/p95: gaps between chunks carrying text (llama-server and Ollama stream one token a chunk;
 *   a server that batches tokens shows larger, fewer gaps — the stamps are arrivals, as a user sees them);
 * - prompt tok/s: the server's prompt token count over the TTFT.
 */
export function repetitionOf(reply: StreamedReply, req: ServerRequest, edges: { startedAt: number; firstTokenAt: number | null; endedAt: number }): MeasuredRepetition {
  const stamps = reply.contentStamps;
  const last = stamps.length ? stamps[stamps.length - 1] : performance.now();
  const ttftMs = (stamps[0] ?? last) - reply.sentAt;
  const base = { startedAt: edges.startedAt, firstTokenAt: edges.firstTokenAt, endedAt: edges.endedAt, output: reply.text, serverTimings: reply.timings };
  if (reply.aborted) {
    return { ...base, promptTokens: reply.promptTokens ?? 0, outputTokens: reply.outputTokens ?? 0, ttftMs, promptTokensPerSec: 0, genTokensPerSec: null, interTokenP50Ms: null, interTokenP95Ms: null, e2eMs: last - reply.sentAt, stopReason: 'aborted' };
  }
  if (reply.promptTokens === null || reply.outputTokens === null) {
    const what = req.model;
    throw new ServerReplyError(
      `the server's reply for ${what} ended without token counts (no usage in the stream); wattbench counts tokens only from the server's own figures, never from text — use a server that sends usage (stream_options.include_usage) or Ollama's native API (--api ollama)`,
    );
  }
  const outputTokens = reply.outputTokens;
  const gaps = stamps.slice(1).map((s, i) => s - stamps[i]);
  const genMs = stamps.length > 1 ? last - stamps[0] : 0;
  const stopReason: StopReason = reply.finishReason === 'length' ? 'max-tokens' : 'eog';
  return {
    ...base,
    promptTokens: reply.promptTokens,
    outputTokens,
    ttftMs,
    promptTokensPerSec: ttftMs > 0 ? reply.promptTokens / (ttftMs / 1000) : 0,
    genTokensPerSec: outputTokens > 1 && genMs > 0 ? (outputTokens - 1) / (genMs / 1000) : null,
    interTokenP50Ms: gaps.length ? quantile(gaps, 0.5) : null,
    interTokenP95Ms: gaps.length ? quantile(gaps, 0.95) : null,
    e2eMs: last - reply.sentAt,
    stopReason,
  };
}
