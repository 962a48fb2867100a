// Ollama's native API: POST /api/chat (messages) or /api/generate (raw prompt), streaming newline-delimited
// JSON (application/x-ndjson). Text chunks carry `message.content` (chat) or `response` (generate); the last
// object has `done: true`, `done_reason`, and the figures: prompt_eval_count, prompt_eval_duration, eval_count,
// eval_duration, load_duration, total_duration (durations in ns).
import type { ServerTimings } from '../domain/jsonColumns';
import { numberOrNull } from './openaiStream';
import { postStream } from './postStream';
import { readStreamLines } from './readStreamLines';
import { ServerReplyError, type ServerRequest, type StreamedReply, type StreamOptions } from './types';

interface OllamaChunk {
  message?: { content?: string };
  response?: string;
  done?: boolean;
  done_reason?: string;
  error?: string;
  [key: string]: unknown;
}

/** The request body as sent: sampling in `options` (num_predict is the token limit). */
export function ollamaBody(req: ServerRequest): Record<string, unknown> {
  const common = { model: req.model, stream: true, options: { temperature: req.temperature, seed: req.seed, num_predict: req.maxTokens } };
  // raw: the prompt as given, without the model's template (completion mode).
  if (req.format === 'completion') return { ...common, prompt: req.text, raw: true };
  const messages = [...(req.system ? [{ role: 'system', content: req.system }] : []), { role: 'user', content: req.text }];
  return { ...common, messages };
}

export async function streamOllama(baseUrl: string, req: ServerRequest, opts: StreamOptions & { connectTimeoutMs: number }): Promise<StreamedReply> {
  const path = req.format === 'chat' ? '/api/chat' : '/api/generate';
  const what = `POST ${path}`;
  const head = await postStream(new URL(path, baseUrl).href, ollamaBody(req), { signal: opts.signal, connectTimeoutMs: opts.connectTimeoutMs, streamTypes: ['application/x-ndjson'], what });
  const reply: StreamedReply = { sentAt: head?.sentAt ?? performance.now(), contentStamps: [], text: '', promptTokens: null, outputTokens: null, finishReason: null, timings: null, aborted: head === null };
  if (!head) return reply;
  let done = false;
  for await (const { line, at } of readStreamLines(head.res, head.controller, { idleTimeoutMs: opts.idleTimeoutMs, signal: opts.signal, what })) {
    if (!line.trim()) continue;
    let chunk: OllamaChunk;
    try {
      chunk = JSON.parse(line) as OllamaChunk;
    } catch {
      throw new ServerReplyError(`${what}: the stream sent a line that is not JSON (${line.slice(0, 80)})`);
    }
    if (chunk.error) throw new ServerReplyError(`${what}: the server reported an error mid-stream: ${chunk.error}`);
    const content = chunk.message?.content ?? chunk.response ?? '';
    if (content) {
      if (reply.contentStamps.length === 0) opts.onFirstContent?.();
      reply.contentStamps.push(at);
      reply.text += content;
      opts.onContent?.();
    }
    if (chunk.done) {
      done = true;
      reply.finishReason = chunk.done_reason ?? null;
      reply.promptTokens = numberOrNull(chunk.prompt_eval_count);
      reply.outputTokens = numberOrNull(chunk.eval_count);
      reply.timings = ollamaTimings(chunk);
      break;
    }
  }
  if (opts.signal?.aborted) {
    head.controller.abort();
    return { ...reply, aborted: true };
  }
  if (!done) throw new ServerReplyError(`${what}: the stream ended without its final "done": true object after ${reply.contentStamps.length} chunks; the server closed it early — check its log`);
  return reply;
}

const ns = (x: unknown): number | null => {
  const n = numberOrNull(x);
  return n === null ? null : n / 1e6;
};

export function ollamaTimings(final: Record<string, unknown>): ServerTimings {
  const { message: _m, response: _r, context: _c, ...raw } = final;
  return {
    source: 'ollama',
    promptTokens: numberOrNull(final.prompt_eval_count),
    promptMs: ns(final.prompt_eval_duration),
    genTokens: numberOrNull(final.eval_count),
    genMs: ns(final.eval_duration),
    loadMs: ns(final.load_duration),
    cachedTokens: null,
    raw,
  };
}
