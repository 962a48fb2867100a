// The server's own figures over a run's repetitions, beside the client's: generation and prompt tok/s as the
// server timed them (llama-server's predicted_n / predicted_ms, Ollama's eval_count / eval_duration).
import type { ServerTimings } from '../domain/jsonColumns';
import { summarize, type MetricSummary } from '../stats/summarize';

export interface ServerFigures {
  source: ServerTimings['source'];
  genTokensPerSec: MetricSummary | null;
  promptTokensPerSec: MetricSummary | null;
}

const rate = (n: number | null, ms: number | null): number | null => (n !== null && ms !== null && n > 0 && ms > 0 ? n / (ms / 1000) : null);

/** Null when no repetition carried the server's timings. */
export function serverFigures(results: ReadonlyArray<{ serverTimings?: ServerTimings | null }>): ServerFigures | null {
  const timings = results.map((r) => r.serverTimings).filter((t): t is ServerTimings => t !== null && t !== undefined);
  if (timings.length === 0) return null;
  return {
    source: timings[0].source,
    genTokensPerSec: summarize(timings.map((t) => rate(t.genTokens, t.genMs))),
    promptTokensPerSec: summarize(timings.map((t) => rate(t.promptTokens, t.promptMs))),
  };
}
