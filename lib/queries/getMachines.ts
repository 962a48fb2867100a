// Every machine seen, its best results, and a like-for-like comparison of machines on one model.
import type { Db } from '../db/openDb';
import type { GpuInfo } from '../db/schema';
import { hardwareLabel, modelLabel } from './labels';

export interface BestFigure {
  value: number;
  runId: number;
  modelLabel: string;
  energySource: string | null;
}

export interface MachineRow {
  id: number;
  label: string;
  hostname: string;
  cpuModel: string;
  cpuCores: number;
  cpuThreads: number;
  memoryBytes: number;
  gpus: GpuInfo[];
  os: string;
  arch: string;
  runCount: number;
  completedCount: number;
  lastRunAt: number | null;
  bestGenTokensPerSec: BestFigure | null;
  bestJoulesPerToken: BestFigure | null;
  bestTtftMs: BestFigure | null;
}

export interface MachineOnModel {
  hardwareId: number;
  label: string;
  /** Best (highest) generation tokens/s of a completed run of the model. */
  genTokensPerSec: BestFigure | null;
  /** Least joules per token of a completed run of the model (null: not measured). */
  joulesPerToken: BestFigure | null;
}

export interface MachinesData {
  machines: MachineRow[];
  /** Models with completed runs, most machines first. */
  models: { id: number; label: string; machineCount: number }[];
  /** The model of the like-for-like comparison (null: none completed yet). */
  modelId: number | null;
  onModel: MachineOnModel[];
}

type Best = { hardware_id: number; id: number; v: number; model_name: string | null; file_name: string; energy_source: string | null };

function best(db: Db, column: string, order: 'ASC' | 'DESC', modelId: number | null): Map<number, BestFigure> {
  const rows = db.$client
    .prepare(
      `SELECT hardware_id, id, v, model_name, file_name, energy_source FROM (
         SELECT r.hardware_id, r.id, r.${column} AS v, m.name AS model_name, m.file_name, r.energy_source,
                row_number() OVER (PARTITION BY r.hardware_id ORDER BY r.${column} ${order}, r.id DESC) AS rn
           FROM runs r JOIN models m ON m.id = r.model_id
          WHERE r.status = 'completed' AND r.${column} IS NOT NULL ${modelId !== null ? 'AND r.model_id = ?' : ''}
       ) WHERE rn = 1`,
    )
    .all(...(modelId !== null ? [modelId] : [])) as Best[];
  return new Map(
    rows.map((r) => [r.hardware_id, { value: r.v, runId: r.id, modelLabel: modelLabel(r.model_name, r.file_name), energySource: r.energy_source }]),
  );
}

/** `modelId` null: the model run on the most machines (then with the most runs). */
export function getMachines(db: Db, modelId: number | null): MachinesData {
  const client = db.$client;
  const rows = client
    .prepare(
      `SELECT h.*, coalesce(c.n, 0) AS n, coalesce(c.done, 0) AS done, c.latest FROM hardware h
         LEFT JOIN (SELECT hardware_id, count(*) AS n, sum(status = 'completed') AS done, max(started_at) AS latest
                      FROM runs GROUP BY hardware_id) c ON c.hardware_id = h.id
        ORDER BY c.latest DESC NULLS LAST, h.id`,
    )
    .all() as {
    id: number;
    hostname: string;
    cpu_model: string;
    cpu_cores: number;
    cpu_threads: number;
    memory_bytes: number;
    gpus: string;
    os: string;
    arch: string;
    n: number;
    done: number;
    latest: number | null;
  }[];
  const tps = best(db, 'gen_tokens_per_sec', 'DESC', null);
  const jpt = best(db, 'joules_per_token', 'ASC', null);
  const ttft = best(db, 'ttft_ms', 'ASC', null);
  const machines: MachineRow[] = rows.map((h) => ({
    id: h.id,
    label: hardwareLabel(h.hostname, h.cpu_model),
    hostname: h.hostname,
    cpuModel: h.cpu_model,
    cpuCores: h.cpu_cores,
    cpuThreads: h.cpu_threads,
    memoryBytes: h.memory_bytes,
    gpus: parseGpus(h.gpus),
    os: h.os,
    arch: h.arch,
    runCount: h.n,
    completedCount: h.done,
    lastRunAt: h.latest,
    bestGenTokensPerSec: tps.get(h.id) ?? null,
    bestJoulesPerToken: jpt.get(h.id) ?? null,
    bestTtftMs: ttft.get(h.id) ?? null,
  }));

  const models = (
    client
      .prepare(
        `SELECT m.id, m.name, m.file_name, count(DISTINCT r.hardware_id) AS machines, count(*) AS n
           FROM runs r JOIN models m ON m.id = r.model_id WHERE r.status = 'completed'
          GROUP BY m.id ORDER BY machines DESC, n DESC, m.id`,
      )
      .all() as { id: number; name: string | null; file_name: string; machines: number }[]
  ).map((m) => ({ id: m.id, label: modelLabel(m.name, m.file_name), machineCount: m.machines }));
  const chosen = modelId !== null && models.some((m) => m.id === modelId) ? modelId : (models[0]?.id ?? null);
  let onModel: MachineOnModel[] = [];
  if (chosen !== null) {
    const t = best(db, 'gen_tokens_per_sec', 'DESC', chosen);
    const j = best(db, 'joules_per_token', 'ASC', chosen);
    onModel = machines
      .filter((m) => t.has(m.id) || j.has(m.id))
      .map((m) => ({ hardwareId: m.id, label: m.label, genTokensPerSec: t.get(m.id) ?? null, joulesPerToken: j.get(m.id) ?? null }))
      .sort((a, b) => (b.genTokensPerSec?.value ?? -1) - (a.genTokensPerSec?.value ?? -1));
  }
  return { machines, models, modelId: chosen, onModel };
}

function parseGpus(json: string): GpuInfo[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as GpuInfo[]) : [];
  } catch {
    return [];
  }
}
