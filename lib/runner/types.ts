// The one result record of a run: the database rows, --json, CSV export and the terminal summary are views of it.
import type { MetricSummary } from '../stats/summarize';
import type { RunStatus } from '../domain/types';
import type { RunSummaryJson, ServerTimings } from '../domain/jsonColumns';

export const METRIC_KEYS = ['ttftMs', 'promptTokensPerSec', 'genTokensPerSec', 'interTokenMs', 'e2eMs'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** Per-metric statistics over all measured repetitions (null: never measured, e.g. no output tokens). */
export type RunMetrics = Record<MetricKey, MetricSummary | null>;

/** What one timed generation measures (lib/runner/measureRepetition). */
export interface MeasuredRepetition {
  promptTokens: number;
  outputTokens: number;
  /** Time to first token: prompt processing plus the first sampled token, ms. */
  ttftMs: number;
  /** Prompt tokens / TTFT. */
  promptTokensPerSec: number;
  /** Tokens after the first / time after the first (null with fewer than two tokens). */
  genTokensPerSec: number | null;
  interTokenP50Ms: number | null;
  interTokenP95Ms: number | null;
  /** Start of prompt processing to the last token, ms. */
  e2eMs: number;
  stopReason: StopReason;
  /** Epoch ms (Date.now()) at the start of prompt processing. */
  startedAt: number;
  /** Epoch ms of the first generated token, the end of prompt processing; null without output. */
  firstTokenAt: number | null;
  /** Epoch ms at the end of generation: the last token, or the end of the step that produced end-of-generation. */
  endedAt: number;
  output: string;
  /** A server run's: the server's own timings for this repetition (null: it reported none). */
  serverTimings?: ServerTimings | null;
}

/** One measured repetition of one prompt, as stored. */
export interface RepetitionResult extends MeasuredRepetition {
  promptId: string;
  promptIndex: number;
  rep: number;
  /** Gross joules over the repetition, counted sources summed (null: not measured). */
  energyJ: number | null;
  /** Joules of prompt processing, (startedAt, firstTokenAt] (null: not measured). */
  prefillJ?: number | null;
  /** Joules of generation after the first token, (firstTokenAt, endedAt] (null: not measured). */
  decodeJ?: number | null;
  /** Graded against the prompt's `expect` (lib/quality/gradeAnswer); null: the prompt has none. */
  correct?: boolean | null;
}

/** Why generation stopped: end-of-generation token, the token limit, the context filled, or Ctrl-C. */
export type StopReason = 'eog' | 'max-tokens' | 'context-full' | 'aborted';

export interface PromptSummary {
  promptId: string;
  promptIndex: number;
  title: string;
  metrics: RunMetrics;
  promptTokens: number;
  outputTokens: MetricSummary | null;
  energyJ: MetricSummary | null;
}

/** The stored summary's type is its schema's (lib/domain/jsonColumns: runSummarySchema). */
export type { RunStatus, RunSummaryJson };
