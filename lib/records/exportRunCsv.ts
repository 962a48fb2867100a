// CSV export: one row per measured repetition, with the run's identity and settings on every row.
import { stringify } from 'csv-stringify/sync';
import type { RunRecord } from './getRunRecord';

export const CSV_COLUMNS = [
  'run_id', 'status', 'model_file', 'model_sha256', 'suite', 'threads', 'context', 'prompt_format',
  'prompt_id', 'prompt_index', 'rep', 'prompt_tokens', 'output_tokens', 'ttft_ms', 'prompt_tokens_per_sec',
  'gen_tokens_per_sec', 'inter_token_p50_ms', 'inter_token_p95_ms', 'e2e_ms', 'stop_reason', 'energy_j', 'started_at', 'output',
] as const;

export function exportRunCsv(record: RunRecord): string {
  const rows = record.results.map((r) => [
    record.id, record.status, record.model.file, record.model.sha256, record.settings.suite, record.settings.threads,
    record.settings.context, record.settings.promptFormat, r.promptId, r.promptIndex, r.rep, r.promptTokens, r.outputTokens,
    r.ttftMs, r.promptTokensPerSec, r.genTokensPerSec ?? '', r.interTokenP50Ms ?? '', r.interTokenP95Ms ?? '', r.e2eMs,
    r.stopReason, r.energyJ ?? '', new Date(r.startedAt).toISOString(), r.output,
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}
