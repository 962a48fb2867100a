// The metrics and their units, defined once for the terminal summary and the CSV export.
import type { MetricKey } from '../../lib/runner/types';

export interface MetricColumn {
  key: MetricKey;
  label: string;
  unit: string;
}

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  { key: 'genTokensPerSec', label: 'Generation', unit: 'tok/s' },
  { key: 'promptTokensPerSec', label: 'Prompt processing', unit: 'tok/s' },
  { key: 'ttftMs', label: 'Time to first token', unit: 'ms' },
  { key: 'interTokenMs', label: 'Inter-token (p50)', unit: 'ms' },
  { key: 'e2eMs', label: 'End-to-end', unit: 'ms' },
];
