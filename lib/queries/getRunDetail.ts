// One run with its model, machine, per-prompt statistics and whole-run energy rows.
import { eq, and, isNull, asc } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { runs, models, hardware, energy, type EnergyRow, type HardwareRow, type ModelRow, type RunRow } from '../db/schema';
import { summarize, type MetricSummary } from '../stats/summarize';
import type { RunSummaryJson } from '../runner/types';
import { displayStatus, hardwareLabel, modelLabel, type DisplayStatus } from './labels';
import { promptCountOf } from './promptCount';

export interface PromptStats {
  promptIndex: number;
  promptId: string;
  /** The suite's title for the prompt, when the summary recorded it. */
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
  summary: RunSummaryJson | null;
  model: ModelRow & { label: string };
  hardware: HardwareRow & { label: string };
  prompts: PromptStats[];
  /** Whole-run energy rows (resultId null), one per source and domain. */
  energy: EnergyRow[];
  /** Number of prompts in the suite, when the run recorded it. */
  promptCount: number | null;
  resultCount: number;
  /** Statistics over every measured repetition: the summary's when the run wrote one, else computed from results. */
  overall: {
    genTokensPerSec: MetricSummary | null;
    ttftMs: MetricSummary | null;
    promptTokensPerSec: MetricSummary | null;
    e2eMs: MetricSummary | null;
  };
}

const OUTPUT_LIMIT = 4000;

interface ResultStatRow {
  prompt_index: number;
  prompt_id: string;
  rep: number;
  prompt_tokens: number;
  output_tokens: number;
  ttft_ms: number;
  prompt_tokens_per_sec: number;
  gen_tokens_per_sec: number | null;
  e2e_ms: number;
  stop_reason: string;
  energy_j: number | null;
}

export function getRunDetail(db: Db, id: number): RunDetail | null {
  const row = db
    .select({ run: runs, model: models, hardware })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .innerJoin(hardware, eq(hardware.id, runs.hardwareId))
    .where(eq(runs.id, id))
    .get();
  if (!row) return null;
  const { summary, status, ...run } = row.run;

  const client = db.$client;
  const results = client
    .prepare(
      `SELECT prompt_index, prompt_id, rep, prompt_tokens, output_tokens, ttft_ms, prompt_tokens_per_sec,
              gen_tokens_per_sec, e2e_ms, stop_reason, energy_j
         FROM results WHERE run_id = ? ORDER BY prompt_index, rep`,
    )
    .all(id) as ResultStatRow[];
  // The output of each prompt's first repetition (outputs can be long: not read for every repetition).
  const outputs = client
    .prepare(
      `SELECT r.prompt_index, substr(r.output, 1, ${OUTPUT_LIMIT + 1}) AS output FROM results r
         JOIN (SELECT prompt_index, min(rep) AS rep FROM results WHERE run_id = ? GROUP BY prompt_index) f
           ON f.prompt_index = r.prompt_index AND f.rep = r.rep
        WHERE r.run_id = ?`,
    )
    .all(id, id) as { prompt_index: number; output: string }[];
  const outputByPrompt = new Map(outputs.map((o) => [o.prompt_index, o.output]));

  const summaryJson = (summary ?? null) as RunSummaryJson | null;
  const titles = new Map<number, string>();
  for (const p of Array.isArray(summaryJson?.prompts) ? summaryJson.prompts : []) {
    if (typeof p?.promptIndex === 'number' && typeof p.title === 'string') titles.set(p.promptIndex, p.title);
  }

  const groups = new Map<number, ResultStatRow[]>();
  for (const r of results) groups.set(r.prompt_index, [...(groups.get(r.prompt_index) ?? []), r]);
  const prompts: PromptStats[] = [...groups.entries()].map(([promptIndex, rows]) => {
    const stopReasons: Record<string, number> = {};
    for (const r of rows) stopReasons[r.stop_reason] = (stopReasons[r.stop_reason] ?? 0) + 1;
    const output = outputByPrompt.get(promptIndex) ?? '';
    return {
      promptIndex,
      promptId: rows[0].prompt_id,
      title: titles.get(promptIndex) ?? null,
      n: rows.length,
      promptTokens: summarize(rows.map((r) => r.prompt_tokens)),
      outputTokens: summarize(rows.map((r) => r.output_tokens)),
      ttftMs: summarize(rows.map((r) => r.ttft_ms)),
      promptTokensPerSec: summarize(rows.map((r) => r.prompt_tokens_per_sec)),
      genTokensPerSec: summarize(rows.map((r) => r.gen_tokens_per_sec)),
      e2eMs: summarize(rows.map((r) => r.e2e_ms)),
      energyJ: summarize(rows.map((r) => r.energy_j)),
      stopReasons,
      output: output.slice(0, OUTPUT_LIMIT),
      outputTruncated: output.length > OUTPUT_LIMIT,
    };
  });

  const energyRows = db
    .select()
    .from(energy)
    .where(and(eq(energy.runId, id), isNull(energy.resultId)))
    .orderBy(asc(energy.source), asc(energy.domain))
    .all();

  return {
    run: { ...run, status: displayStatus(status, run.pid, run.pidStartTicks, row.hardware.hostname) },
    summary: summaryJson,
    model: { ...row.model, label: modelLabel(row.model.name, row.model.fileName) },
    hardware: { ...row.hardware, label: hardwareLabel(row.hardware.hostname, row.hardware.cpuModel) },
    prompts,
    energy: energyRows,
    promptCount: promptCountOf(run.settings, summaryJson),
    resultCount: results.length,
    overall: {
      genTokensPerSec: summaryJson?.metrics?.genTokensPerSec ?? summarize(results.map((r) => r.gen_tokens_per_sec)),
      ttftMs: summaryJson?.metrics?.ttftMs ?? summarize(results.map((r) => r.ttft_ms)),
      promptTokensPerSec: summaryJson?.metrics?.promptTokensPerSec ?? summarize(results.map((r) => r.prompt_tokens_per_sec)),
      e2eMs: summaryJson?.metrics?.e2eMs ?? summarize(results.map((r) => r.e2e_ms)),
    },
  };
}
