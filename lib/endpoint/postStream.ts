// Sends one streaming request and checks the reply's head: a server that cannot be reached, an error status
// (its message from the error body: OpenAI's {"error": {"message"}}, Ollama's {"error": "..."}), or a reply
// that is not a stream is one line, before any chunk is read.
import { ServerReplyError } from './types';
import { causeOf } from './readStreamLines';

export interface StreamingReply {
  res: Response;
  controller: AbortController;
  sentAt: number;
}

export async function postStream(
  url: string,
  body: unknown,
  opts: { signal?: AbortSignal; connectTimeoutMs: number; streamTypes: readonly string[]; what: string },
): Promise<StreamingReply | null> {
  // The request ends on the run's interruption or on this request's own timeouts (the controller). One combined
  // signal, not a listener on the run's signal per request: a run makes hundreds of requests.
  const controller = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
  // The head (status and headers) must come within the connect timeout plus prompt processing: the idle timeout
  // takes over once a stream is open, so the head gets the same patience.
  const timer = setTimeout(() => controller.abort(), opts.connectTimeoutMs);
  const sentAt = performance.now();
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream, application/x-ndjson' }, body: JSON.stringify(body), signal });
  } catch (err) {
    if (opts.signal?.aborted) return null;
    if (controller.signal.aborted) throw new ServerReplyError(`${opts.what}: no reply from ${url} within ${opts.connectTimeoutMs / 1000} s; is the server overloaded? raise --stream-timeout`);
    throw new ServerReplyError(`${opts.what}: cannot reach ${url} (${causeOf(err)}); is the server still running?`);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    const message = await errorMessage(res);
    throw new ServerReplyError(`${opts.what}: the server answered ${res.status}${message ? `: ${message}` : ''}`);
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!opts.streamTypes.includes(type)) {
    await res.body?.cancel().catch(() => undefined);
    throw new ServerReplyError(`${opts.what}: the server did not stream its reply (content-type ${type || 'none'}, expected ${opts.streamTypes.join(' or ')}); wattbench times each token as it arrives, so it needs a server that streams`);
  }
  return { res, controller, sentAt };
}

/** The message of an error body, one line, at most 200 characters. */
export async function errorMessage(res: Response): Promise<string | null> {
  const text = await res.text().catch(() => '');
  let message: string = text;
  try {
    const json = JSON.parse(text) as { error?: string | { message?: string }; message?: string };
    message = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message ?? text);
  } catch {
    /* not JSON: the text as it is */
  }
  const line = message.split('\n')[0].trim();
  return line ? line.slice(0, 200) : null;
}
