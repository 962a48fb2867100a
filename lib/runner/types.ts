// The one result record of a run: the database rows, --json, CSV export and the terminal summary are views of it.
import type { MetricSummary } from '../stats/summarize';
import type { RunStatus } from '../db/schema';

export const METRIC_KEYS = ['ttftMs', 'promptTokensPerSec', 'genTokensPerSec', 'interTokenMs', 'e2eMs'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** Per-metric statistics over all measured repetitions (null: never measured, e.g. no output tokens). */
export type RunMetrics = Record<MetricKey, MetricSummary | null>;

export interface RepetitionResult {
  promptId: string;
  promptIndex: number;
  rep: number;
  promptTokens: number;
  outputTokens: number;
  ttftMs: number;
  promptTokensPerSec: number;
  genTokensPerSec: number | null;
  interTokenP50Ms: number | null;
  interTokenP95Ms: number | null;
  e2eMs: number;
  stopReason: StopReason;
  startedAt: number;
  endedAt: number;
  output: string;
  energyJ: number | null;
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

export interface RunSummaryJson {
  metrics: RunMetrics;
  prompts: PromptSummary[];
  totalOutputTokens: number;
  totalPromptTokens: number;
  /** The --json `energy` object (issue 3); null when no power source ran. */
  energy: Record<string, unknown> | null;
}

export type { RunStatus };
