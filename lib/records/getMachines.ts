// Every machine seen, its best results, and a like-for-like comparison of machines on one model.
import { and, asc, count, countDistinct, desc, eq, isNotNull, max, sql } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { hardware, models, runs } from '../db/schema';
import type { HardwareFacts } from '../hardware/detectHardware';
import { hardwareLabel, modelLabel } from './runLabels';
import { notMonitor } from './runKind';

export interface BestFigure {
  value: number;
  runId: number;
  modelLabel: string;
  energySource: string | null;
}

/** A machine's stored facts (those of its fingerprint), its label, and its runs' counts and best figures. */
export interface MachineRow extends Omit<HardwareFacts, 'fingerprint'> {
  id: number;
  label: string;
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

/** The figures a machine's best can be of, and which way is better. */
const FIGURES = {
  genTokensPerSec: { column: runs.genTokensPerSec, better: (a: number, b: number) => a > b },
  joulesPerToken: { column: runs.joulesPerToken, better: (a: number, b: number) => a < b },
  ttftMs: { column: runs.ttftMs, better: (a: number, b: number) => a < b },
} as const;

/** Each machine's best completed run on `figure` (ties: the newest run), over every model or one. */
function best(db: Db, figure: keyof typeof FIGURES, modelId: number | null): Map<number, BestFigure> {
  const { column, better } = FIGURES[figure];
  const rows = db
    .select({ hardwareId: runs.hardwareId, id: runs.id, v: column, modelName: models.name, fileName: models.fileName, energySource: runs.energySource })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .where(and(eq(runs.status, 'completed'), isNotNull(column), modelId !== null ? eq(runs.modelId, modelId) : undefined))
    .orderBy(desc(runs.id))
    .all();
  const out = new Map<number, BestFigure>();
  for (const r of rows) {
    if (r.v === null) continue;
    const held = out.get(r.hardwareId);
    if (held && !better(r.v, held.value)) continue;
    out.set(r.hardwareId, { value: r.v, runId: r.id, modelLabel: modelLabel(r.modelName, r.fileName), energySource: r.energySource });
  }
  return out;
}

/** `modelId` null: the model run on the most machines (then with the most runs). */
export function getMachines(db: Db, modelId: number | null): MachinesData {
  const perMachine = db
    .select({
      hardwareId: runs.hardwareId,
      n: count().as('n'),
      done: sql<number>`sum(${runs.status} = 'completed')`.as('done'),
      latest: max(runs.startedAt).as('latest'),
    })
    .from(runs)
    .groupBy(runs.hardwareId)
    .as('c');
  const rows = db
    .select({ h: hardware, n: perMachine.n, done: perMachine.done, latest: perMachine.latest })
    .from(hardware)
    .leftJoin(perMachine, eq(perMachine.hardwareId, hardware.id))
    .orderBy(sql`${perMachine.latest} DESC NULLS LAST`, asc(hardware.id))
    .all();
  const tps = best(db, 'genTokensPerSec', null);
  const jpt = best(db, 'joulesPerToken', null);
  const ttft = best(db, 'ttftMs', null);
  const machines: MachineRow[] = rows.map(({ h, n, done, latest }) => ({
    id: h.id,
    label: hardwareLabel(h.hostname, h.cpuModel),
    hostname: h.hostname,
    cpuModel: h.cpuModel,
    cpuCores: h.cpuCores,
    cpuThreads: h.cpuThreads,
    memoryBytes: h.memoryBytes,
    gpus: h.gpus,
    os: h.os,
    arch: h.arch,
    runCount: n ?? 0,
    completedCount: done ?? 0,
    lastRunAt: latest ?? null,
    bestGenTokensPerSec: tps.get(h.id) ?? null,
    bestJoulesPerToken: jpt.get(h.id) ?? null,
    bestTtftMs: ttft.get(h.id) ?? null,
  }));

  const machineCount = countDistinct(runs.hardwareId);
  const modelList = db
    .select({ id: models.id, name: models.name, fileName: models.fileName, machines: machineCount })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .where(and(eq(runs.status, 'completed'), notMonitor))
    .groupBy(models.id)
    .orderBy(desc(machineCount), desc(count()), asc(models.id))
    .all()
    .map((m) => ({ id: m.id, label: modelLabel(m.name, m.fileName), machineCount: m.machines }));
  const chosen = modelId !== null && modelList.some((m) => m.id === modelId) ? modelId : (modelList[0]?.id ?? null);
  let onModel: MachineOnModel[] = [];
  if (chosen !== null) {
    const t = best(db, 'genTokensPerSec', chosen);
    const j = best(db, 'joulesPerToken', chosen);
    onModel = machines
      .filter((m) => t.has(m.id) || j.has(m.id))
      .map((m) => ({ hardwareId: m.id, label: m.label, genTokensPerSec: t.get(m.id) ?? null, joulesPerToken: j.get(m.id) ?? null }))
      .sort((a, b) => (b.genTokensPerSec?.value ?? -1) - (a.genTokensPerSec?.value ?? -1));
  }
  return { machines, models: modelList, modelId: chosen, onModel };
}
