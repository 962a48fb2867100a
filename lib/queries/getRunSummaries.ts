// The runs list: one page of runs with their model, machine and headline figures, filtered and sorted.
import type { Db } from '../db/openDb';
import type { RunStatus } from '../db/schema';
import type { RunFilters, RunSortKey } from './params';
import { countedEnergySql } from './energyColumns';
import { displayStatus, hardwareLabel, modelLabel, type DisplayStatus } from './labels';
import { energyBasisOf, type EnergyBasis } from '../format/energyLabel';

export interface RunSummaryRow {
  id: number;
  status: DisplayStatus;
  startedAt: number;
  endedAt: number | null;
  suite: string;
  label: string | null;
  modelId: number;
  modelLabel: string;
  modelType: string | null;
  hardwareId: number;
  hardwareLabel: string;
  genTokensPerSec: number | null;
  ttftMs: number | null;
  joulesPerToken: number | null;
  /** Source tag(s) of the energy figure ("rapl", "estimate"); null: not measured. */
  energySource: string | null;
  /** Boundaries the run's energy covers, e.g. ["cpu-package", "dram"]. */
  energyBoundaries: string[];
  /** measured | estimate | mixed | none: runs.energy_basis, else from the counted rows' methods (energyBasisOf). */
  energyBasis: EnergyBasis;
}

export interface RunSummaryPage {
  rows: RunSummaryRow[];
  total: number;
  page: number;
  pageCount: number;
}

const SORT_SQL: Record<RunSortKey, string> = {
  id: 'r.id',
  date: 'r.started_at',
  model: 'model_label COLLATE NOCASE',
  hardware: 'h.hostname COLLATE NOCASE',
  status: 'r.status',
  genTps: 'r.gen_tokens_per_sec',
  ttft: 'r.ttft_ms',
  jpt: 'r.joules_per_token',
};

interface RawRow {
  id: number;
  status: RunStatus;
  started_at: number;
  ended_at: number | null;
  suite: string;
  label: string | null;
  pid: number;
  pid_start_ticks: string | null;
  gen_tokens_per_sec: number | null;
  ttft_ms: number | null;
  joules_per_token: number | null;
  energy_source: string | null;
  energy_basis: string | null;
  model_id: number;
  model_name: string | null;
  file_name: string;
  model_type: string | null;
  hardware_id: number;
  hostname: string;
  cpu_model: string;
}

export function getRunSummaries(db: Db, filters: RunFilters): RunSummaryPage {
  const client = db.$client;
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filters.modelId !== null) {
    where.push('r.model_id = ?');
    args.push(filters.modelId);
  }
  if (filters.hardwareId !== null) {
    where.push('r.hardware_id = ?');
    args.push(filters.hardwareId);
  }
  if (filters.status !== null) {
    where.push('r.status = ?');
    args.push(filters.status);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (client.prepare(`SELECT count(*) AS n FROM runs r ${whereSql}`).get(...args) as { n: number }).n;
  const pageCount = Math.max(1, Math.ceil(total / filters.pageSize));
  const page = Math.min(filters.page, pageCount);
  const dir = filters.dir === 'asc' ? 'ASC' : 'DESC';
  // Missing figures ("not measured") sort last whichever the direction.
  const rows = client
    .prepare(
      `SELECT r.id, r.status, r.started_at, r.ended_at, r.suite, r.label, r.pid, r.pid_start_ticks,
              r.gen_tokens_per_sec, r.ttft_ms, r.joules_per_token, r.energy_source, r.energy_basis,
              m.id AS model_id, m.name AS model_name, m.file_name, m.type AS model_type,
              -- The label shown (modelLabel): the file name without ".gguf", so the column sorts as it reads.
              CASE WHEN lower(m.file_name) LIKE '%.gguf' THEN substr(m.file_name, 1, length(m.file_name) - 5) ELSE m.file_name END AS model_label,
              h.id AS hardware_id, h.hostname, h.cpu_model
         FROM runs r
         JOIN models m ON m.id = r.model_id
         JOIN hardware h ON h.id = r.hardware_id
         ${whereSql}
        ORDER BY ${SORT_SQL[filters.sort]} ${dir} NULLS LAST, r.id DESC
        LIMIT ? OFFSET ?`,
    )
    .all(...args, filters.pageSize, (page - 1) * filters.pageSize) as RawRow[];

  const energyRows = energyRowsOf(db, rows.map((r) => r.id));
  return {
    total,
    page,
    pageCount,
    rows: rows.map((r) => ({
      id: r.id,
      status: displayStatus(r.status, r.pid, r.pid_start_ticks, r.hostname),
      startedAt: r.started_at,
      endedAt: r.ended_at,
      suite: r.suite,
      label: r.label,
      modelId: r.model_id,
      modelLabel: modelLabel(r.model_name, r.file_name),
      modelType: r.model_type,
      hardwareId: r.hardware_id,
      hardwareLabel: hardwareLabel(r.hostname, r.cpu_model),
      genTokensPerSec: r.gen_tokens_per_sec,
      ttftMs: r.ttft_ms,
      joulesPerToken: r.joules_per_token,
      energySource: r.energy_source,
      energyBoundaries: energyRows.get(r.id)?.boundaries ?? [],
      // The rule of describeRunEnergy and listRuns, on the methods read for the whole page at once.
      energyBasis: energyBasisOf(r.energy_basis, (energyRows.get(r.id)?.methods ?? []).map((method) => ({ method }))),
    })),
  };
}

/** The boundaries and methods of each run's whole-run energy rows that count toward its total, in one query for the page. */
export function energyRowsOf(db: Db, runIds: readonly number[]): Map<number, { boundaries: string[]; methods: string[] }> {
  const out = new Map<number, { boundaries: string[]; methods: string[] }>();
  if (runIds.length === 0) return out;
  const rows = db.$client
    .prepare(
      `SELECT DISTINCT run_id, boundary, method FROM energy
        WHERE result_id IS NULL${countedEnergySql(db)} AND run_id IN (${runIds.map(() => '?').join(',')})
        ORDER BY run_id, boundary, method`,
    )
    .all(...runIds) as { run_id: number; boundary: string; method: string }[];
  for (const r of rows) {
    const entry = out.get(r.run_id) ?? { boundaries: [], methods: [] };
    if (!entry.boundaries.includes(r.boundary)) entry.boundaries.push(r.boundary);
    if (!entry.methods.includes(r.method)) entry.methods.push(r.method);
    out.set(r.run_id, entry);
  }
  return out;
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

/** The models and machines that have runs, for the filter menus. */
export function getRunFilterOptions(db: Db): RunFilterOptions {
  const client = db.$client;
  const models = client
    .prepare(
      `SELECT m.id, m.name, m.file_name, c.n FROM models m
         JOIN (SELECT model_id, count(*) AS n FROM runs GROUP BY model_id) c ON c.model_id = m.id`,
    )
    .all() as { id: number; name: string | null; file_name: string; n: number }[];
  const hardware = client
    .prepare(
      `SELECT h.id, h.hostname, h.cpu_model, c.n FROM hardware h
         JOIN (SELECT hardware_id, count(*) AS n FROM runs GROUP BY hardware_id) c ON c.hardware_id = h.id`,
    )
    .all() as { id: number; hostname: string; cpu_model: string; n: number }[];
  const byLabel = (a: FilterOption, b: FilterOption) => a.label.localeCompare(b.label) || a.id - b.id;
  return {
    models: models.map((m) => ({ id: m.id, label: modelLabel(m.name, m.file_name), runCount: m.n })).sort(byLabel),
    hardware: hardware.map((h) => ({ id: h.id, label: hardwareLabel(h.hostname, h.cpu_model), runCount: h.n })).sort(byLabel),
  };
}
