// Runs or models side by side: speed, time to first token and energy per token, with their spread.
import type { Db } from '../db/openDb';
import type { RunSummaryJson } from '../runner/types';
import { summarize } from '../stats/summarize';
import { hardwareLabel, modelLabel } from './labels';
import { countedEnergySql } from './energyColumns';

export type CompareSelection =
  | {
      mode: 'models';
      /** The machine; null: the machine of the newest completed run. */
      hardwareId: number | null;
      /** The suite; null: the newest completed run's suite on that machine. */
      suite: string | null;
      /** Models to compare; empty: every model with completed runs there (newest first, at most 8). */
      modelIds: number[];
    }
  | { mode: 'runs'; runIds: number[] };

/** A figure of an item: the median over its runs (or the run's own mean), and a spread. */
export interface CompareStat {
  value: number;
  /** σ over runs when there are several, else the run's σ over repetitions; null when unknown. */
  sd: number | null;
}

export interface CompareItem {
  key: string;
  label: string;
  /** The machine the item ran on. */
  hardwareId: number;
  hardwareLabel: string;
  modelId: number;
  runIds: number[];
  genTokensPerSec: CompareStat | null;
  ttftMs: CompareStat | null;
  joulesPerToken: CompareStat | null;
  /** Source tags of the energy figures, joined with "+" ("rapl", "estimate"); null: not measured. */
  energySource: string | null;
  energyBoundaries: string[];
}

export interface CompareOption {
  id: number;
  label: string;
  runCount: number;
}

export interface CompareData {
  /** The selection with its defaults filled in. */
  selection: CompareSelection;
  machines: CompareOption[];
  suites: string[];
  /** Models with completed runs on the chosen machine and suite. */
  models: CompareOption[];
  items: CompareItem[];
  /** True when every item ran on one machine. */
  sameMachine: boolean;
}

interface RunFigures {
  id: number;
  model_id: number;
  hardware_id: number;
  gen_tokens_per_sec: number | null;
  ttft_ms: number | null;
  joules_per_token: number | null;
  energy_source: string | null;
  model_name: string | null;
  file_name: string;
  hostname: string;
  cpu_model: string;
  started_at: number;
}

const FIGURES = `SELECT r.id, r.model_id, r.hardware_id, r.gen_tokens_per_sec, r.ttft_ms, r.joules_per_token, r.energy_source,
       r.started_at, m.name AS model_name, m.file_name, h.hostname, h.cpu_model
  FROM runs r JOIN models m ON m.id = r.model_id JOIN hardware h ON h.id = r.hardware_id`;

const MAX_DEFAULT_MODELS = 8;

export function getCompareData(db: Db, selection: CompareSelection): CompareData {
  const client = db.$client;
  const machines = (
    client
      .prepare(
        `SELECT h.id, h.hostname, h.cpu_model, c.n, c.latest FROM hardware h
           JOIN (SELECT hardware_id, count(*) AS n, max(started_at) AS latest FROM runs WHERE status = 'completed' GROUP BY hardware_id) c
             ON c.hardware_id = h.id
          ORDER BY c.latest DESC`,
      )
      .all() as { id: number; hostname: string; cpu_model: string; n: number }[]
  ).map((h) => ({ id: h.id, label: hardwareLabel(h.hostname, h.cpu_model), runCount: h.n }));

  if (selection.mode === 'runs') {
    const rows = selection.runIds.length
      ? (client.prepare(`${FIGURES} WHERE r.id IN (${selection.runIds.map(() => '?').join(',')})`).all(...selection.runIds) as RunFigures[])
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = selection.runIds.map((id) => byId.get(id)).filter((r): r is RunFigures => r !== undefined);
    const summaries = summariesOf(db, ordered.map((r) => r.id));
    const boundaries = boundariesByRun(db, ordered.map((r) => r.id));
    const items = ordered.map((r): CompareItem => {
      const metrics = summaries.get(r.id)?.metrics;
      return {
        key: `run-${r.id}`,
        label: `#${r.id} ${modelLabel(r.model_name, r.file_name)}`,
        hardwareId: r.hardware_id,
        hardwareLabel: hardwareLabel(r.hostname, r.cpu_model),
        modelId: r.model_id,
        runIds: [r.id],
        genTokensPerSec: stat(r.gen_tokens_per_sec, metrics?.genTokensPerSec?.sd),
        ttftMs: stat(r.ttft_ms, metrics?.ttftMs?.sd),
        joulesPerToken: stat(r.joules_per_token, null),
        energySource: r.energy_source,
        energyBoundaries: boundaries.get(r.id) ?? [],
      };
    });
    return {
      selection: { mode: 'runs', runIds: ordered.map((r) => r.id) },
      machines,
      suites: [],
      models: [],
      items,
      sameMachine: new Set(items.map((i) => i.hardwareId)).size <= 1,
    };
  }

  const newest = client
    .prepare(
      `SELECT hardware_id, suite FROM runs WHERE status = 'completed' ${selection.hardwareId !== null ? 'AND hardware_id = ?' : ''}
        ORDER BY started_at DESC LIMIT 1`,
    )
    .get(...(selection.hardwareId !== null ? [selection.hardwareId] : [])) as { hardware_id: number; suite: string } | undefined;
  const hardwareId = selection.hardwareId ?? newest?.hardware_id ?? null;
  const suites = hardwareId === null
    ? []
    : (
        client
          .prepare(
            `SELECT suite FROM runs WHERE status = 'completed' AND hardware_id = ? GROUP BY suite ORDER BY max(started_at) DESC`,
          )
          .all(hardwareId) as { suite: string }[]
      ).map((s) => s.suite);
  const suite = selection.suite !== null && suites.includes(selection.suite) ? selection.suite : (newest?.suite ?? suites[0] ?? null);

  const runsHere =
    hardwareId === null || suite === null
      ? []
      : (client
          .prepare(`${FIGURES} WHERE r.status = 'completed' AND r.hardware_id = ? AND r.suite = ? ORDER BY r.started_at DESC`)
          .all(hardwareId, suite) as RunFigures[]);
  const byModel = new Map<number, RunFigures[]>();
  for (const r of runsHere) byModel.set(r.model_id, [...(byModel.get(r.model_id) ?? []), r]);
  const models: CompareOption[] = [...byModel.entries()]
    .map(([id, rs]) => ({ id, label: modelLabel(rs[0].model_name, rs[0].file_name), runCount: rs.length }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const chosen = selection.modelIds.filter((id) => byModel.has(id));
  const modelIds = chosen.length ? chosen : [...byModel.keys()].slice(0, MAX_DEFAULT_MODELS);

  const singleRunIds = modelIds.filter((id) => byModel.get(id)!.length === 1).map((id) => byModel.get(id)![0].id);
  const summaries = summariesOf(db, singleRunIds);
  const boundaries = boundariesByRun(db, modelIds.flatMap((id) => byModel.get(id)!.map((r) => r.id)));
  const items = modelIds.map((id): CompareItem => {
    const rs = byModel.get(id)!;
    const metrics = rs.length === 1 ? summaries.get(rs[0].id)?.metrics : undefined;
    const sources = [...new Set(rs.map((r) => r.energy_source).filter((s): s is string => s !== null))].sort();
    return {
      key: `model-${id}`,
      label: modelLabel(rs[0].model_name, rs[0].file_name),
      hardwareId: rs[0].hardware_id,
      hardwareLabel: hardwareLabel(rs[0].hostname, rs[0].cpu_model),
      modelId: id,
      runIds: rs.map((r) => r.id),
      genTokensPerSec: aggregate(rs.map((r) => r.gen_tokens_per_sec), metrics?.genTokensPerSec?.sd),
      ttftMs: aggregate(rs.map((r) => r.ttft_ms), metrics?.ttftMs?.sd),
      joulesPerToken: aggregate(rs.map((r) => r.joules_per_token), null),
      energySource: sources.length ? sources.join('+') : null,
      energyBoundaries: [...new Set(rs.flatMap((r) => boundaries.get(r.id) ?? []))].sort(),
    };
  });
  return {
    selection: { mode: 'models', hardwareId, suite, modelIds },
    machines,
    suites,
    models,
    items,
    sameMachine: true,
  };
}

function stat(value: number | null, sd: number | null | undefined): CompareStat | null {
  return value === null || !Number.isFinite(value) ? null : { value, sd: sd ?? null };
}

/** Median over runs; σ over runs, or the single run's σ over repetitions. */
function aggregate(values: (number | null)[], singleRunSd: number | null | undefined): CompareStat | null {
  const s = summarize(values);
  if (!s) return null;
  return { value: s.median, sd: s.n > 1 ? s.sd : (singleRunSd ?? null) };
}

function summariesOf(db: Db, runIds: number[]): Map<number, RunSummaryJson> {
  const out = new Map<number, RunSummaryJson>();
  if (!runIds.length) return out;
  const rows = db.$client
    .prepare(`SELECT id, summary FROM runs WHERE summary IS NOT NULL AND id IN (${runIds.map(() => '?').join(',')})`)
    .all(...runIds) as { id: number; summary: string }[];
  for (const r of rows) {
    try {
      out.set(r.id, JSON.parse(r.summary) as RunSummaryJson);
    } catch {
      // A malformed summary only loses its σ.
    }
  }
  return out;
}

function boundariesByRun(db: Db, runIds: number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  // Chunks keep the statement under SQLite's parameter limit for models with thousands of runs.
  for (let i = 0; i < runIds.length; i += 500) {
    const chunk = runIds.slice(i, i + 500);
    const rows = db.$client
      .prepare(`SELECT DISTINCT run_id, boundary FROM energy WHERE result_id IS NULL${countedEnergySql(db)} AND run_id IN (${chunk.map(() => '?').join(',')})`)
      .all(...chunk) as { run_id: number; boundary: string }[];
    for (const r of rows) out.set(r.run_id, [...(out.get(r.run_id) ?? []), r.boundary]);
  }
  return out;
}
