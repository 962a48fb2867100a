// The one table that ends a sweep on the terminal: per combination its settings and headline figures, the
// energy per token with its label (numbered notes under the table, so that every figure says where it comes
// from without repeating a long label on each row), and the fastest combination marked.
import type { RunRecord } from '../../lib/records/getRunRecord';
import type { SweepCombination } from '../../lib/runner/sweepCombinations';
import type { MetricSummary } from '../../lib/stats/summarize';
import { formatNumber, formatWithSd } from '../../lib/format/numbers';
import { formatBytes } from '../../lib/format/units';
import { describeEnergyList } from '../../lib/format/energyLabel';
import { formatTable, type TableColumn } from './formatTable';
import { escapeTerminal } from './escapeTerminal';

export interface SweepTableRow {
  index: number;
  combination: SweepCombination;
  /** The stored run; null when the combination failed before its run row was written. */
  record: RunRecord | null;
  /** Why it failed, in one line; null when it did not. */
  error: string | null;
}

const BEST_MARK = '◀ fastest';
const plain = (s: string) => s.replace(/\u00a0/g, ' ');
const dash = '—';

function meanSd(s: MetricSummary | null | undefined): string {
  if (!s) return dash;
  const [mean, sd] = formatWithSd(s.mean, s.sd, 'en');
  return `${mean} ± ${sd}`;
}

/** "2", or "4/2" (prompt/generation) when the phases used different counts. */
function threadsOf(row: SweepTableRow): string {
  const s = row.record?.settings;
  if (!s) return String(row.combination.threads);
  const prompt = typeof s.promptThreads === 'number' ? s.promptThreads : s.threads;
  return prompt === s.threads ? String(s.threads) : `${prompt}/${s.threads}`;
}

/** As asked, with what llama.cpp did when it decided: "auto (0)". */
function gpuLayersOf(row: SweepTableRow): string {
  const asked = row.combination.gpuLayers;
  const used = row.record?.runtime.gpuLayers;
  if (used === undefined || asked === used) return String(asked);
  return `${String(asked)} (${used})`;
}

export function formatSweepTable(rows: readonly SweepTableRow[]): string {
  // Best: the fastest mean generation among the completed runs.
  const candidates = rows.filter((r) => r.record?.status === 'completed' && r.record.summary.genTokensPerSec);
  const best = candidates.reduce<SweepTableRow | null>((a, r) => (a && a.record!.summary.genTokensPerSec!.mean >= r.record!.summary.genTokensPerSec!.mean ? a : r), null);
  // Each distinct energy label once, numbered.
  const labels: string[] = [];
  const labelOf = (record: RunRecord): number => {
    const label = describeEnergyList(record.energyRows.filter((e) => e.countsTowardTotal), 'en');
    if (!labels.includes(label)) labels.push(label);
    return labels.indexOf(label) + 1;
  };
  const columns: TableColumn<SweepTableRow>[] = [
    { header: '#', value: (r) => String(r.index), align: 'right' },
    { header: 'RUN', value: (r) => (r.record ? String(r.record.id) : dash), align: 'right' },
    { header: 'STATUS', value: (r) => r.record?.status ?? 'failed' },
    { header: 'MODEL', value: (r) => r.combination.model.facts.fileName },
    { header: 'THREADS', value: threadsOf, align: 'right' },
    { header: 'CONTEXT', value: (r) => (r.record ? String(r.record.settings.context) : String(r.combination.contextSize)), align: 'right' },
    { header: 'BATCH', value: (r) => (typeof r.record?.settings.batchSize === 'number' ? String(r.record.settings.batchSize) : (r.combination.batchSize?.toString() ?? 'default')), align: 'right' },
    { header: 'GPU LAYERS', value: gpuLayersOf, align: 'right' },
    { header: 'GEN (tok/s, mean ± σ)', value: (r) => meanSd(r.record?.summary.genTokensPerSec), align: 'right' },
    { header: 'TTFT (ms, mean ± σ)', value: (r) => meanSd(r.record?.summary.ttftMs), align: 'right' },
    {
      header: 'ENERGY (J/token)',
      value: (r) => (!r.record ? dash : r.record.energy?.joulesPerToken == null ? 'not measured' : `${formatNumber(r.record.energy.joulesPerToken, 'en')} [${labelOf(r.record)}]`),
      align: 'right',
    },
    { header: 'PEAK MEM (RSS)', value: (r) => (r.record?.peakRssBytes == null ? dash : plain(formatBytes(r.record.peakRssBytes, 'en'))), align: 'right' },
    { header: '', value: (r) => (r === best ? BEST_MARK : '') },
  ];
  const out = [formatTable(rows, columns)];
  for (const [i, label] of labels.entries()) out.push(`[${i + 1}] ${escapeTerminal(label)}`);
  out.push(best ? `${BEST_MARK}: the highest mean generation speed (tok/s) among the completed runs.` : 'No combination completed with a generation speed: none is marked fastest.');
  for (const r of rows) if (r.error) out.push(`#${r.index} failed: ${escapeTerminal(r.error)}`);
  return out.join('\n');
}
