// What one streamed request to a server gives back, whatever its API: the arrival time of every chunk that
// carried text, the server's token counts (its usage figures, never counted from text) and its own timings.
import type { ServerTimings } from '../domain/jsonColumns';
import { WattbenchError, ExitCode } from '../errors/WattbenchError';

export type ServerApi = 'openai' | 'ollama';

export interface StreamedReply {
  /** performance.now() when the request was sent. */
  sentAt: number;
  /** performance.now() at the arrival of each chunk that carried generated text. */
  contentStamps: number[];
  text: string;
  /** From the server's usage figures (OpenAI `usage`, Ollama's prompt_eval_count / eval_count); null when it sent none. */
  promptTokens: number | null;
  outputTokens: number | null;
  /** The server's reason ("stop", "length"); null when it gave none. */
  finishReason: string | null;
  timings: ServerTimings | null;
  /** Whether the stream ended with the interruption of the caller's signal. */
  aborted: boolean;
}

/** A request as the runner makes it: chat messages or a raw completion prompt. */
export interface ServerRequest {
  model: string;
  format: 'chat' | 'completion';
  system?: string;
  text: string;
  maxTokens: number;
  temperature: number;
  seed: number;
  ignoreEos: boolean;
}

/** A server that misbehaved mid-run (broken, stalled or non-streaming reply, an error status): the run fails. */
export class ServerReplyError extends WattbenchError {
  constructor(message: string) {
    super(message, ExitCode.runFailed);
    this.name = 'ServerReplyError';
  }
}

/** Options every streamed request takes. */
export interface StreamOptions {
  /** Ms without a byte of the reply before the stream is declared stalled. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
  /** Called synchronously on the arrival of the first chunk carrying text. */
  onFirstContent?: () => void;
  /** Called on every chunk carrying text (the sampler's token counter is fed by usage at the end, not here). */
  onContent?: () => void;
}
