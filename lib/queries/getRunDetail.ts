// The run page's view of a run: the record of lib/records (the same read as `wattbench show`), with the
// dashboard's labels, the per-prompt table (stop reasons, first output) and energy rows in display order.
import type { Db } from '../db/openDb';
import type { EnergyRow, HardwareRow, ModelRow, RunRow } from '../db/schema';
import { summarize, type MetricSummary } from '../stats/summarize';
import type { RunSummaryJson } from '../runner/types';
import { readStoredRun } from '../records/getRunRecord';
import { displayStatus, hardwareLabel, modelLabel, type DisplayStatus } from '../records/runLabels';
import { promptCountOf } from '../records/promptCount';
import { runQuality, type RunQuality } from '../records/runQuality';
import type { MonitorFigures } from '../records/monitorFigures';

export interface PromptStats {
  promptIndex: number;
  promptId: string;
  /** The suite's title for the prompt, when the run recorded it. */
  title: string | null;
  /** Measured repetitions. */
  n: number;
  promptTokens: MetricSummary | null;
  outputTokens: MetricSummary | null;
  ttftMs: MetricSummary | null;
  promptTokensPerSec: MetricSummary | null;
  genTokensPerSec: MetricSummary | null;
  e2eMs: MetricSummary | null;
  /** Joules per repetition (null: not measured). */
  energyJ: MetricSummary | null;
  /** Why generation stopped, with counts: { eog: 2 }. */
  stopReasons: Record<string, number>;
  /** The first repetition's output, at most 4,000 characters; rendered as text only. */
  output: string;
  outputTruncated: boolean;
}

export interface RunDetail {
  run: Omit<RunRow, 'summary' | 'status'> & { status: DisplayStatus };
  /** The run's statistics, computed from its results, with the stored energy object (lib/records' one rule). */
  summary: RunSummaryJson;
  model: ModelRow & { label: string };
  hardware: HardwareRow & { label: string };
  prompts: PromptStats[];
  /** Whole-run energy rows (resultId null), one per source and domain, by source then domain. */
  energy: EnergyRow[];
  /** Number of prompts in the suite, when the run recorded it. */
  promptCount: number | null;
  resultCount: number;
  /** Statistics over every measured repetition: `summary.metrics`. */
  overall: RunSummaryJson['metrics'];
  /** Graded answers (accuracy, J per correct answer, per prompt expected / got): the record's; null: none graded. */
  quality: RunQuality | null;
  /** A monitor run's target and figures (run.kind "monitor"); null for a benchmark. */
  monitor: MonitorFigures | null;
}

const OUTPUT_LIMIT = 4000;

/** SQLite's binary text order. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function getRunDetail(db: Db, id: number): RunDetail | null {
  const stored = readStoredRun(db, id);
  if (!stored) return null;
  const { summary: _stored, status, ...run } = stored.run;
  const { summary, results } = stored;

  // Titles the run recorded (summarizeRun falls back to the prompt id).
  const titles = new Map<number, string>();
  for (const p of summary.prompts) if (p.title !== p.promptId) titles.set(p.promptIndex, p.title);

  const groups = new Map<number, typeof results>();
  for (const r of results) groups.set(r.promptIndex, [...(groups.get(r.promptIndex) ?? []), r]);
  const prompts: PromptStats[] = [...groups.entries()].map(([promptIndex, rows]) => {
    const stopReasons: Record<string, number> = {};
    for (const r of rows) stopReasons[r.stopReason] = (stopReasons[r.stopReason] ?? 0) + 1;
    const output = rows[0].output;
    return {
      promptIndex,
      promptId: rows[0].promptId,
      title: titles.get(promptIndex) ?? null,
      n: rows.length,
      promptTokens: summarize(rows.map((r) => r.promptTokens)),
      outputTokens: summarize(rows.map((r) => r.outputTokens)),
      ttftMs: summarize(rows.map((r) => r.ttftMs)),
      promptTokensPerSec: summarize(rows.map((r) => r.promptTokensPerSec)),
      genTokensPerSec: summarize(rows.map((r) => r.genTokensPerSec)),
      e2eMs: summarize(rows.map((r) => r.e2eMs)),
      energyJ: summarize(rows.map((r) => r.energyJ)),
      stopReasons,
      output: output.slice(0, OUTPUT_LIMIT),
      outputTruncated: output.length > OUTPUT_LIMIT,
    };
  });

  return {
    run: { ...run, status: displayStatus(status, run.pid, run.pidStartTicks, stored.hardware.hostname) },
    summary,
    model: { ...stored.model, label: modelLabel(stored.model.name, stored.model.fileName) },
    hardware: { ...stored.hardware, label: hardwareLabel(stored.hardware.hostname, stored.hardware.cpuModel) },
    prompts,
    energy: [...stored.energyRows].sort((a, b) => byText(a.source, b.source) || byText(a.domain, b.domain)),
    // Only what the run recorded: a summary computed from a partial run would undercount.
    promptCount: promptCountOf(run.settings, stored.summaryStored ? summary : null),
    resultCount: results.length,
    overall: summary.metrics,
    quality: runQuality(results, run.settings),
    monitor: stored.monitor,
  };
}
