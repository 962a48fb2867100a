// Runs, models or a sweep's combinations side by side: speed, time to first token and energy per token, with their spread.
import { and, count, desc, eq, inArray, isNotNull, max, type SQL } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { hardware, models, runs } from '../db/schema';
import type { RunSummaryJson } from '../domain/jsonColumns';
import { summarize } from '../stats/summarize';
import { countedEnergyByRun } from './countedEnergy';
import { hardwareLabel, modelLabel } from './runLabels';
import { listSweepRuns, listSweeps, sweepRunLabels, type SweepOption } from './listSweeps';
import { gradedCountsByRun, pooledQuality } from './qualityByRun';
import type { QualitySummary } from '../quality/summarizeQuality';
import { notMonitor } from './runKind';

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
  | { mode: 'runs'; runIds: number[] }
  /** A sweep's runs, in the order they ran, each labelled by what sets it apart (sweepRunLabels). */
  | { mode: 'sweep'; sweepId: string };

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
  /** Accuracy and joules per correct answer over the item's graded answers (several runs pooled); null: none graded. */
  quality: QualitySummary | null;
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
  /** The recent sweeps, newest first, for the sweep menu. */
  sweeps: SweepOption[];
}

/** A run's promoted figures with its model and machine: what an item is made of. */
function runFigures(db: Db, where: SQL | undefined) {
  return db
    .select({
      id: runs.id,
      modelId: runs.modelId,
      hardwareId: runs.hardwareId,
      genTokensPerSec: runs.genTokensPerSec,
      ttftMs: runs.ttftMs,
      joulesPerToken: runs.joulesPerToken,
      energySource: runs.energySource,
      startedAt: runs.startedAt,
      modelName: models.name,
      fileName: models.fileName,
      hostname: hardware.hostname,
      cpuModel: hardware.cpuModel,
    })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .innerJoin(hardware, eq(hardware.id, runs.hardwareId))
    .where(where)
    .orderBy(desc(runs.startedAt))
    .all();
}
type RunFigures = ReturnType<typeof runFigures>[number];

const MAX_DEFAULT_MODELS = 8;

export function getCompareData(db: Db, selection: CompareSelection): CompareData {
  const latest = max(runs.startedAt);
  const machines = db
    .select({ id: hardware.id, hostname: hardware.hostname, cpuModel: hardware.cpuModel, n: count() })
    .from(runs)
    .innerJoin(hardware, eq(hardware.id, runs.hardwareId))
    .where(eq(runs.status, 'completed'))
    .groupBy(hardware.id)
    .orderBy(desc(latest))
    .all()
    .map((h) => ({ id: h.id, label: hardwareLabel(h.hostname, h.cpuModel), runCount: h.n }));

  const sweeps = listSweeps(db);
  if (selection.mode === 'runs' || selection.mode === 'sweep') {
    // A sweep is its runs, labelled by what varies across it.
    const sweep = selection.mode === 'sweep' ? listSweepRuns(db, selection.sweepId) : null;
    const labels = sweep ? sweepRunLabels(sweep) : null;
    const runIds = sweep ? sweep.map((r) => r.id) : selection.mode === 'runs' ? selection.runIds : [];
    const rows = runIds.length ? runFigures(db, inArray(runs.id, runIds)) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = runIds.map((id) => byId.get(id)).filter((r): r is RunFigures => r !== undefined);
    const summaries = summariesOf(db, ordered.map((r) => r.id));
    const counted = countedEnergyByRun(db, ordered.map((r) => r.id));
    const graded = gradedCountsByRun(db, ordered.map((r) => r.id));
    const items = ordered.map((r): CompareItem => {
      const metrics = summaries.get(r.id)?.metrics;
      return {
        key: `run-${r.id}`,
        label: `#${r.id} ${labels?.get(r.id) ?? modelLabel(r.modelName, r.fileName)}`,
        hardwareId: r.hardwareId,
        hardwareLabel: hardwareLabel(r.hostname, r.cpuModel),
        modelId: r.modelId,
        runIds: [r.id],
        genTokensPerSec: stat(r.genTokensPerSec, metrics?.genTokensPerSec?.sd),
        ttftMs: stat(r.ttftMs, metrics?.ttftMs?.sd),
        joulesPerToken: stat(r.joulesPerToken, null),
        energySource: r.energySource,
        energyBoundaries: counted.get(r.id)?.boundaries ?? [],
        quality: pooledQuality([graded.get(r.id)]),
      };
    });
    return {
      selection: selection.mode === 'sweep' ? { mode: 'sweep', sweepId: selection.sweepId } : { mode: 'runs', runIds: ordered.map((r) => r.id) },
      machines,
      suites: [],
      models: [],
      items,
      sameMachine: new Set(items.map((i) => i.hardwareId)).size <= 1,
      sweeps,
    };
  }

  const completedHere = (hardwareId: number | null) =>
    and(eq(runs.status, 'completed'), notMonitor, hardwareId !== null ? eq(runs.hardwareId, hardwareId) : undefined);
  const newest = db
    .select({ hardwareId: runs.hardwareId, suite: runs.suite })
    .from(runs)
    .where(completedHere(selection.hardwareId))
    .orderBy(desc(runs.startedAt))
    .limit(1)
    .get();
  const hardwareId = selection.hardwareId ?? newest?.hardwareId ?? null;
  const suites = hardwareId === null
    ? []
    : db
        .select({ suite: runs.suite })
        .from(runs)
        .where(completedHere(hardwareId))
        .groupBy(runs.suite)
        .orderBy(desc(max(runs.startedAt)))
        .all()
        .map((s) => s.suite);
  const suite = selection.suite !== null && suites.includes(selection.suite) ? selection.suite : (newest?.suite ?? suites[0] ?? null);

  const runsHere = hardwareId === null || suite === null ? [] : runFigures(db, and(completedHere(hardwareId), eq(runs.suite, suite)));
  const byModel = new Map<number, RunFigures[]>();
  for (const r of runsHere) byModel.set(r.modelId, [...(byModel.get(r.modelId) ?? []), r]);
  const models: CompareOption[] = [...byModel.entries()]
    .map(([id, rs]) => ({ id, label: modelLabel(rs[0].modelName, rs[0].fileName), runCount: rs.length }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const chosen = selection.modelIds.filter((id) => byModel.has(id));
  const modelIds = chosen.length ? chosen : [...byModel.keys()].slice(0, MAX_DEFAULT_MODELS);

  const singleRunIds = modelIds.filter((id) => byModel.get(id)!.length === 1).map((id) => byModel.get(id)![0].id);
  const summaries = summariesOf(db, singleRunIds);
  const counted = countedEnergyByRun(db, modelIds.flatMap((id) => byModel.get(id)!.map((r) => r.id)));
  const graded = gradedCountsByRun(db, modelIds.flatMap((id) => byModel.get(id)!.map((r) => r.id)));
  const items = modelIds.map((id): CompareItem => {
    const rs = byModel.get(id)!;
    const metrics = rs.length === 1 ? summaries.get(rs[0].id)?.metrics : undefined;
    const sources = [...new Set(rs.map((r) => r.energySource).filter((s): s is string => s !== null))].sort();
    return {
      key: `model-${id}`,
      label: modelLabel(rs[0].modelName, rs[0].fileName),
      hardwareId: rs[0].hardwareId,
      hardwareLabel: hardwareLabel(rs[0].hostname, rs[0].cpuModel),
      modelId: id,
      runIds: rs.map((r) => r.id),
      genTokensPerSec: aggregate(rs.map((r) => r.genTokensPerSec), metrics?.genTokensPerSec?.sd),
      ttftMs: aggregate(rs.map((r) => r.ttftMs), metrics?.ttftMs?.sd),
      joulesPerToken: aggregate(rs.map((r) => r.joulesPerToken), null),
      energySource: sources.length ? sources.join('+') : null,
      energyBoundaries: [...new Set(rs.flatMap((r) => counted.get(r.id)?.boundaries ?? []))].sort(),
      quality: pooledQuality(rs.map((r) => graded.get(r.id))),
    };
  });
  return {
    selection: { mode: 'models', hardwareId, suite, modelIds },
    machines,
    suites,
    models,
    items,
    sameMachine: true,
    sweeps,
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

/** The stored summaries of `runIds` (parsed by their schema), for the σ of single-run items. */
function summariesOf(db: Db, runIds: number[]): Map<number, RunSummaryJson> {
  if (!runIds.length) return new Map();
  const rows = db.select({ id: runs.id, summary: runs.summary }).from(runs).where(and(isNotNull(runs.summary), inArray(runs.id, runIds))).all();
  return new Map(rows.flatMap((r) => (r.summary ? [[r.id, r.summary] as const] : [])));
}
