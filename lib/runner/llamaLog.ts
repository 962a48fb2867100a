// Where llama.cpp's error lines go. Its own module, free of node-llama-cpp, so that the CLI can set it without
// loading the binding (commands that never run a model stay fast to start).

/** Receives llama.cpp's error lines; the library prints nothing itself (the CLI passes one that writes to stderr). */
export type LlamaLog = (line: string) => void;

let sink: LlamaLog = () => {};

/** Where llama.cpp's errors go from now on, for the one binding of this process (set before or after loading). */
export function setLlamaLog(next: LlamaLog): void {
  sink = next;
}

/** The last error lines llama.cpp logged, so a failure can name llama.cpp's own reason in one line of ours. */
const recent: string[] = [];
const RECENT_MAX = 8;

/** Hands one line to the current sink, and keeps it among the recent ones. */
export function llamaLog(line: string): void {
  logged += 1;
  recent.push(line);
  if (recent.length > RECENT_MAX) recent.shift();
  sink(line);
}

/**
 * The first error line llama.cpp logged since `mark` (a value of `llamaLogMark()`): the root cause comes first
 * ("error loading model vocabulary: unknown tokenizer"), the lines after it only say that loading failed.
 * Without the "llama.cpp: " prefix and llama.cpp's function names.
 */
export function firstLlamaError(mark: number): string | null {
  const fresh = Math.min(recent.length, logged - mark);
  const line = fresh > 0 ? recent[recent.length - fresh] : undefined;
  if (!line) return null;
  return line
    .replace(/^llama\.cpp: /, '')
    .replace(/^(\w+: )+/, '')
    .replace(/^(error loading model: )+(?=error loading)/, '');
}

let logged = 0;
/** A mark to pass to `lastLlamaError` later: only lines logged after it count. */
export function llamaLogMark(): number {
  return logged;
}
