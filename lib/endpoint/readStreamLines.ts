// Reads a streamed HTTP reply line by line, stamping each line with the arrival of the network read that
// completed it, and declares the stream stalled when no byte arrives for `idleTimeoutMs`.
import { ServerReplyError } from './types';

export interface StampedLine {
  line: string;
  /** performance.now() at the arrival of the bytes that completed the line. */
  at: number;
}

/**
 * Yields the lines of `res.body` (LF or CRLF). `controller` is the request's: aborting it on a stall is what
 * stops fetch's read. Throws ServerReplyError for a stall or a broken connection; returns early (no throw) when
 * `signal` (the caller's interruption) aborted.
 */
export async function* readStreamLines(
  res: Response,
  controller: AbortController,
  opts: { idleTimeoutMs: number; signal?: AbortSignal; what: string },
): AsyncGenerator<StampedLine> {
  if (!res.body) throw new ServerReplyError(`${opts.what}: the reply has no body`);
  const decoder = new TextDecoder();
  let buffered = '';
  let stalled = false;
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, opts.idleTimeoutMs);
  };
  arm();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const at = performance.now();
      arm();
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).replace(/\r$/, '');
        buffered = buffered.slice(nl + 1);
        yield { line, at };
      }
    }
    buffered += decoder.decode();
    if (buffered.length) yield { line: buffered.replace(/\r$/, ''), at: performance.now() };
  } catch (err) {
    if (opts.signal?.aborted && !stalled) return;
    if (stalled) throw new ServerReplyError(`${opts.what}: the stream stalled (no data for ${opts.idleTimeoutMs / 1000} s); is the server overloaded? raise --stream-timeout or check the server`);
    throw new ServerReplyError(`${opts.what}: the connection broke mid-stream (${causeOf(err)}); check the server's log`);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** undici's "terminated" hides the socket's reason in `cause`. */
export function causeOf(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  const msg = e?.message ?? String(err);
  return cause ? `${msg}: ${cause}` : msg;
}
