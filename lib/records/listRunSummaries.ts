// The runs of a database with their model, machine and headline figures, filtered, sorted and paged:
// the runs page shows them, `wattbench list` (listRuns) is a view of them.
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { hardware, models, runs } from '../db/schema';
import type { RunKind, RunStatus } from '../domain/types';
import { energyBasisOf, type EnergyBasis } from '../format/energyLabel';
import { countedEnergyByRun } from './countedEnergy';
import { qualityByRun } from './qualityByRun';
import type { QualitySummary } from '../quality/summarizeQuality';
import { notMonitor } from './runKind';
import { displayStatus, hardwareLabel, modelLabel, type DisplayStatus } from './runLabels';

export const RUN_SORT_KEYS = ['id', 'date', 'model', 'hardware', 'status', 'genTps', 'ttft', 'jpt'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export interface RunListQuery {
  modelId: number | null;
  hardwareId: number | null;
  status: RunStatus | null;
  sort: RunSortKey;
  dir: SortDir;
  /** 1-based; a page past the end is clamped to the last. */
  page: number;
  /** Rows per page. */
  pageSize: number;
}

export interface RunSummaryRow {
  id: number;
  /** As the dashboard shows it: "stale" when it says running but its process on this host is gone. */
  status: DisplayStatus;
  /** As stored. */
  recordedStatus: RunStatus;
  startedAt: number;
  endedAt: number | null;
  suite: string;
  label: string | null;
  /** The sweep the run is part of; null: a single run. */
  sweepId: string | null;
  threads: number;
  reps: number;
  /** A server run's URL (`run --endpoint`); null for a GGUF run. */
  endpoint: string | null;
  modelId: number;
  /** The file name without ".gguf" (modelLabel): what the list shows, and what it sorts by. */
  modelLabel: string;
  modelFile: string;
  modelType: string | null;
  hardwareId: number;
  hardwareLabel: string;
  hostname: string;
  cpuModel: string;
  genTokensPerSec: number | null;
  ttftMs: number | null;
  joulesPerToken: number | null;
  /** Source tag(s) of the energy figure ("rapl", "estimate"); null: not measured. */
  energySource: string | null;
  /** Boundaries the run's energy covers, e.g. ["cpu-package", "dram"]. */
  energyBoundaries: string[];
  /** measured | estimate | mixed | none: runs.energy_basis, else from the counted rows' methods (energyBasisOf). */
  energyBasis: EnergyBasis;
  /** Accuracy and joules per correct answer when the run graded answers (lib/quality); null otherwise. */
  quality: QualitySummary | null;
  /** "monitor" for `wattbench monitor` (no model, tokens or threads: its energy is `totalJ` over its window). */
  kind: 'benchmark' | RunKind;
  /** Counted joules of the run (its measured repetitions; a monitor's whole window); null: not measured. */
  totalJ: number | null;
}

export interface RunSummaryPage {
  rows: RunSummaryRow[];
  total: number;
  page: number;
  pageCount: number;
}

/** The label shown (modelLabel) in SQL, so that the column sorts as it reads. */
const modelLabelSql = sql`CASE WHEN lower(${models.fileName}) LIKE '%.gguf' THEN substr(${models.fileName}, 1, length(${models.fileName}) - 5) ELSE ${models.fileName} END`;

const SORT_SQL: Record<RunSortKey, SQL> = {
  id: sql`${runs.id}`,
  date: sql`${runs.startedAt}`,
  model: sql`${modelLabelSql} COLLATE NOCASE`,
  hardware: sql`${hardware.hostname} COLLATE NOCASE`,
  status: sql`${runs.status}`,
  genTps: sql`${runs.genTokensPerSec}`,
  ttft: sql`${runs.ttftMs}`,
  jpt: sql`${runs.joulesPerToken}`,
};

/** The run columns a list needs: no JSON column is read (nor parsed) for a list. */
const listColumns = {
  id: runs.id,
  status: runs.status,
  pid: runs.pid,
  pidStartTicks: runs.pidStartTicks,
  startedAt: runs.startedAt,
  endedAt: runs.endedAt,
  suite: runs.suite,
  label: runs.label,
  sweepId: runs.sweepId,
  threads: runs.threads,
  reps: runs.reps,
  endpoint: runs.endpoint,
  genTokensPerSec: runs.genTokensPerSec,
  ttftMs: runs.ttftMs,
  joulesPerToken: runs.joulesPerToken,
  energySource: runs.energySource,
  energyBasis: runs.energyBasis,
  kind: runs.kind,
  totalJ: runs.totalJ,
};

export function listRunSummaries(db: Db, query: RunListQuery): RunSummaryPage {
  const where = and(
    query.modelId !== null ? eq(runs.modelId, query.modelId) : undefined,
    query.hardwareId !== null ? eq(runs.hardwareId, query.hardwareId) : undefined,
    query.status !== null ? eq(runs.status, query.status) : undefined,
  );
  const total = db.select({ n: count() }).from(runs).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pageCount);
  // Missing figures ("not measured") sort last whichever the direction.
  const order = sql`${SORT_SQL[query.sort]} ${sql.raw(query.dir === 'asc' ? 'ASC' : 'DESC')} NULLS LAST`;
  const rows = db
    .select({ run: listColumns, model: { id: models.id, name: models.name, fileName: models.fileName, type: models.type }, hw: { id: hardware.id, hostname: hardware.hostname, cpuModel: hardware.cpuModel } })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .innerJoin(hardware, eq(hardware.id, runs.hardwareId))
    .where(where)
    .orderBy(order, desc(runs.id))
    .limit(query.pageSize)
    .offset((page - 1) * query.pageSize)
    .all();

  const counted = countedEnergyByRun(db, rows.map((r) => r.run.id));
  const quality = qualityByRun(db, rows.map((r) => r.run.id));
  return {
    total,
    page,
    pageCount,
    rows: rows.map(({ run, model, hw }) => ({
      id: run.id,
      status: displayStatus(run.status, run.pid, run.pidStartTicks, hw.hostname),
      recordedStatus: run.status,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      suite: run.suite,
      label: run.label,
      sweepId: run.sweepId,
      threads: run.threads,
      reps: run.reps,
      endpoint: run.endpoint,
      kind: run.kind ?? 'benchmark',
      totalJ: run.totalJ,
      modelId: model.id,
      modelLabel: modelLabel(model.name, model.fileName),
      modelFile: model.fileName,
      modelType: model.type,
      hardwareId: hw.id,
      hardwareLabel: hardwareLabel(hw.hostname, hw.cpuModel),
      hostname: hw.hostname,
      cpuModel: hw.cpuModel,
      genTokensPerSec: run.genTokensPerSec,
      ttftMs: run.ttftMs,
      joulesPerToken: run.joulesPerToken,
      energySource: run.energySource,
      energyBoundaries: counted.get(run.id)?.boundaries ?? [],
      // The rule of describeRunEnergy, on the methods read for the whole page at once.
      energyBasis: energyBasisOf(run.energyBasis, (counted.get(run.id)?.methods ?? []).map((method) => ({ method }))),
      quality: quality.get(run.id) ?? null,
    })),
  };
}

export interface FilterOption {
  id: number;
  label: string;
  runCount: number;
}

export interface RunFilterOptions {
  models: FilterOption[];
  hardware: FilterOption[];
}

/** The models and machines that have runs, for the filter menus, by label. */
export function listRunFilterOptions(db: Db): RunFilterOptions {
  const modelRows = db
    .select({ id: models.id, name: models.name, fileName: models.fileName, n: count() })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .groupBy(models.id)
    .all();
  const hardwareRows = db
    .select({ id: hardware.id, hostname: hardware.hostname, cpuModel: hardware.cpuModel, n: count() })
    .from(runs)
    .innerJoin(hardware, eq(hardware.id, runs.hardwareId))
    .groupBy(hardware.id)
    .all();
  const byLabel = (a: FilterOption, b: FilterOption) => a.label.localeCompare(b.label) || a.id - b.id;
  return {
    models: modelRows.map((m) => ({ id: m.id, label: modelLabel(m.name, m.fileName), runCount: m.n })).sort(byLabel),
    hardware: hardwareRows.map((h) => ({ id: h.id, label: hardwareLabel(h.hostname, h.cpuModel), runCount: h.n })).sort(byLabel),
  };
}

export interface CompletedRunOption {
  id: number;
  label: string;
  startedAt: number;
  energySource: string | null;
}

/** Completed runs to choose from, newest first: "#12 stories260K · smoke". */
export function listCompletedRuns(db: Db, limit = 300): CompletedRunOption[] {
  return db
    .select({ id: runs.id, startedAt: runs.startedAt, energySource: runs.energySource, suite: runs.suite, name: models.name, fileName: models.fileName })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .where(and(eq(runs.status, 'completed'), notMonitor))
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(limit)
    .all()
    .map((r) => ({ id: r.id, label: `#${r.id} ${modelLabel(r.name, r.fileName)} · ${r.suite}`, startedAt: r.startedAt, energySource: r.energySource }));
}

/** `wattbench list`: the newest runs by id, with the figures and the file name the terminal shows. */
export function listRuns(db: Db, limit = 50) {
  const { rows } = listRunSummaries(db, { modelId: null, hardwareId: null, status: null, sort: 'id', dir: 'desc', page: 1, pageSize: limit });
  return rows.map((r) => ({
    id: r.id,
    status: r.recordedStatus,
    /** As shown: "stale" when the run says running but its process on this machine is gone. */
    displayStatus: r.status,
    model: r.modelFile,
    suite: r.suite,
    label: r.label,
    sweepId: r.sweepId,
    threads: r.threads,
    reps: r.reps,
    /** A server run's URL; null for a GGUF run. */
    endpoint: r.endpoint,
    genTokensPerSec: r.genTokensPerSec,
    ttftMs: r.ttftMs,
    joulesPerToken: r.joulesPerToken,
    energySource: r.energySource,
    startedAt: r.startedAt,
    cpu: r.cpuModel,
    hostname: r.hostname,
    /** measured | estimate | mixed | none */
    energyBasis: r.energyBasis,
    /** Accuracy and J per correct answer of a graded run; null otherwise. */
    quality: r.quality,
    kind: r.kind,
    totalJ: r.totalJ,
  }));
}

export type RunListRow = ReturnType<typeof listRuns>[number];
