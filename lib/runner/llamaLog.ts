// Where llama.cpp's error lines go. Its own module, free of node-llama-cpp, so that the CLI can set it without
// loading the binding (commands that never run a model stay fast to start).

/** Receives llama.cpp's error lines, "llama.cpp: "-prefixed; the library prints nothing itself. */
export type LlamaLog = (line: string) => void;

let sink: LlamaLog = () => {};

/** The last error messages llama.cpp logged, so a failure can name llama.cpp's own reason in one line of ours. */
const recent: string[] = [];
const RECENT_MAX = 8;
/** How many messages were ever logged: the marks of `llamaLogMark` count them. */
let logged = 0;

/** Where llama.cpp's errors go from now on, for the one binding of this process (set before or after loading). */
export function setLlamaLog(next: LlamaLog): void {
  sink = next;
}

/** Keeps one of llama.cpp's error messages among the recent ones and hands it to the current sink. */
export function llamaLog(message: string): void {
  logged += 1;
  recent.push(message);
  if (recent.length > RECENT_MAX) recent.shift();
  sink(`llama.cpp: ${message}`);
}

/** A mark to pass to `firstLlamaError` later: only messages logged after it count. */
export function llamaLogMark(): number {
  return logged;
}

/**
 * The first error message llama.cpp logged since `mark` (of the last RECENT_MAX): the root cause comes first
 * ("error loading model vocabulary: unknown tokenizer"), the lines after it only say that loading failed.
 * Without llama.cpp's function names.
 */
export function firstLlamaError(mark: number): string | null {
  const fresh = Math.min(recent.length, logged - mark);
  if (fresh <= 0) return null;
  return recent[recent.length - fresh]
    .replace(/^(\w+: )+/, '')
    .replace(/^(error loading model: )+(?=error loading)/, '');
}
