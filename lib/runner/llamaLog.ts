// Where llama.cpp's error lines go. Its own module, free of node-llama-cpp, so that the CLI can set it without
// loading the binding (commands that never run a model stay fast to start).

/** Receives llama.cpp's error lines; the library prints nothing itself (the CLI passes one that writes to stderr). */
export type LlamaLog = (line: string) => void;

let sink: LlamaLog = () => {};

/** Where llama.cpp's errors go from now on, for the one binding of this process (set before or after loading). */
export function setLlamaLog(next: LlamaLog): void {
  sink = next;
}

/** Hands one line to the current sink. */
export function llamaLog(line: string): void {
  sink(line);
}
