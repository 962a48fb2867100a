// CSV export: one row per measured repetition, with the run's identity and settings on every row, and the
// energy figure's labels beside it (basis, source, boundary, method, the estimate's model, window, note).
import { stringify } from 'csv-stringify/sync';
import type { RunRecord } from './getRunRecord';
import { describeEnergyList, sortBoundaries } from '../format/energyLabel';
import { neutraliseCsvCell } from './neutraliseCsvCell';

export const CSV_COLUMNS = [
  'run_id', 'status', 'model_file', 'model_sha256', 'suite', 'threads', 'context', 'prompt_format',
  'prompt_id', 'prompt_index', 'rep', 'prompt_tokens', 'output_tokens', 'ttft_ms', 'prompt_tokens_per_sec',
  'gen_tokens_per_sec', 'inter_token_p50_ms', 'inter_token_p95_ms', 'e2e_ms', 'stop_reason', 'energy_j',
  'energy_basis', 'energy_label', 'energy_source', 'energy_boundary', 'energy_method', 'energy_model', 'energy_window', 'energy_note',
  'started_at', 'output', 'correct',
] as const;

/** A repetition's energy covers its own time only: the window every energy_j of the file has. */
export const CSV_ENERGY_WINDOW = 'this repetition only (model load, idle and warm-ups excluded)';

const joinDistinct = (values: string[]) => [...new Set(values)].join(' + ');

export function exportRunCsv(record: RunRecord): string {
  // The figures a repetition's energy_j sums are the run's counted sources: their labels are the same on every row.
  const counted = record.energyRows.filter((r) => r.countsTowardTotal !== false);
  const described = record.energyDescription;
  const labels = {
    basis: described.basis,
    label: counted.length ? describeEnergyList(counted, 'en') : '',
    source: joinDistinct(counted.map((r) => r.source)),
    boundary: sortBoundaries(counted.map((r) => r.boundary)).join(' + '),
    method: joinDistinct(counted.map((r) => r.method)),
    model: joinDistinct(counted.flatMap((r) => (r.method === 'modelled' ? [r.estimateModel ?? 'model not recorded'] : []))),
    note: described.constantNote ?? '',
  };
  const rows = record.results.map((r) => [
    record.id, record.status, record.model.file, record.model.sha256, record.settings.suite, record.settings.threads,
    record.settings.context, record.settings.promptFormat, r.promptId, r.promptIndex, r.rep, r.promptTokens, r.outputTokens,
    r.ttftMs, r.promptTokensPerSec, r.genTokensPerSec ?? '', r.interTokenP50Ms ?? '', r.interTokenP95Ms ?? '', r.e2eMs,
    r.stopReason, r.energyJ ?? '',
    labels.basis, labels.label, labels.source, labels.boundary, labels.method, labels.model, r.energyJ === null ? '' : CSV_ENERGY_WINDOW, labels.note,
    new Date(r.startedAt).toISOString(), r.output,
    // 1 right, 0 wrong, empty: the prompt has no expect (not graded).
    r.correct === null ? '' : r.correct ? 1 : 0,
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], cast: { string: neutraliseCsvCell } });
}
