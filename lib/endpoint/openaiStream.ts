// The OpenAI-compatible API (llama-server, LM Studio, vLLM, Ollama's /v1): POST /v1/chat/completions (chat) or
// /v1/completions (raw prompt) with stream: true and stream_options.include_usage. The reply is server-sent
// events, `data: {json}` lines, ended by `data: [DONE]`; text chunks carry `choices[0].delta.content` (chat) or
// `choices[0].text` (completions); with include_usage, a last chunk with empty `choices` carries `usage`
// ({prompt_tokens, completion_tokens}); llama-server adds its `timings` object to the last chunk.
import type { ServerTimings } from '../domain/jsonColumns';
import { postStream } from './postStream';
import { readStreamLines } from './readStreamLines';
import { ServerReplyError, type ServerRequest, type StreamedReply, type StreamOptions } from './types';

interface OpenAiChunk {
  choices?: Array<{ delta?: { content?: string | null }; text?: string | null; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  timings?: Record<string, unknown>;
  error?: { message?: string } | string;
}

/** The request body as sent (recorded in the run's settings). */
export function openAiBody(req: ServerRequest, kind: string): Record<string, unknown> {
  const common = {
    model: req.model,
    stream: true,
    stream_options: { include_usage: true },
    temperature: req.temperature,
    seed: req.seed,
    max_tokens: req.maxTokens,
    // llama-server's extension (llama-bench's tgN); other servers would reject an unknown field.
    ...(req.ignoreEos && kind === 'llama-server' ? { ignore_eos: true } : {}),
    // Each repetition processes its whole prompt, as a local run's does on a cleared cache: llama-server would
    // otherwise reuse the previous repetition's cached prefix and report a prompt speed it never computed.
    ...(kind === 'llama-server' ? { cache_prompt: false } : {}),
  };
  if (req.format === 'completion') return { ...common, prompt: req.text };
  const messages = [...(req.system ? [{ role: 'system', content: req.system }] : []), { role: 'user', content: req.text }];
  return { ...common, messages };
}

export async function streamOpenAi(baseUrl: string, kind: string, req: ServerRequest, opts: StreamOptions & { connectTimeoutMs: number }): Promise<StreamedReply> {
  const path = req.format === 'chat' ? '/v1/chat/completions' : '/v1/completions';
  const what = `POST ${path}`;
  const head = await postStream(new URL(path, baseUrl).href, openAiBody(req, kind), { signal: opts.signal, connectTimeoutMs: opts.connectTimeoutMs, streamTypes: ['text/event-stream'], what });
  const reply: StreamedReply = { sentAt: head?.sentAt ?? performance.now(), contentStamps: [], text: '', promptTokens: null, outputTokens: null, finishReason: null, timings: null, aborted: head === null };
  if (!head) return reply;
  let done = false;
  for await (const { line, at } of readStreamLines(head.res, head.controller, { idleTimeoutMs: opts.idleTimeoutMs, signal: opts.signal, what })) {
    // SSE: comments (":") and other fields (event:, id:) carry nothing here.
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      done = true;
      break;
    }
    let chunk: OpenAiChunk;
    try {
      chunk = JSON.parse(data) as OpenAiChunk;
    } catch {
      throw new ServerReplyError(`${what}: the stream sent a line that is not JSON (${data.slice(0, 80)})`);
    }
    if (chunk.error) throw new ServerReplyError(`${what}: the server reported an error mid-stream: ${typeof chunk.error === 'string' ? chunk.error : chunk.error.message}`);
    const choice = chunk.choices?.[0];
    const content = choice?.delta?.content ?? choice?.text ?? '';
    if (content) {
      if (reply.contentStamps.length === 0) opts.onFirstContent?.();
      reply.contentStamps.push(at);
      reply.text += content;
      opts.onContent?.();
    }
    if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
    if (chunk.usage) {
      reply.promptTokens = numberOrNull(chunk.usage.prompt_tokens);
      reply.outputTokens = numberOrNull(chunk.usage.completion_tokens);
    }
    if (chunk.timings) reply.timings = llamaServerTimings(chunk.timings);
  }
  if (opts.signal?.aborted) {
    head.controller.abort();
    return { ...reply, aborted: true };
  }
  if (!done) throw new ServerReplyError(`${what}: the stream ended without "data: [DONE]" after ${reply.contentStamps.length} chunks; the server closed it early — check its log`);
  return reply;
}

/** llama-server's `timings` (server_slot_stats::to_json): prompt_n, prompt_ms, predicted_n, predicted_ms, cache_n. */
export function llamaServerTimings(t: Record<string, unknown>): ServerTimings {
  return {
    source: 'llama-server',
    promptTokens: numberOrNull(t.prompt_n),
    promptMs: numberOrNull(t.prompt_ms),
    genTokens: numberOrNull(t.predicted_n),
    genMs: numberOrNull(t.predicted_ms),
    loadMs: null,
    cachedTokens: numberOrNull(t.cache_n),
    raw: t,
  };
}

export function numberOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
