// The one result record of a run, read back from the database: --json, `show`, `export` and the
// terminal summary are all views of this object.
import { asc, eq, and, isNull } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { runs, models, hardware, results, energy, type RunStatus, type ResultRow, type EnergyRow, type GpuInfo } from '../db/schema';
import { summarizeRun } from '../runner/summarizeRun';
import type { RunMetrics, PromptSummary } from '../runner/types';
import { InputError } from '../errors/WattbenchError';
import { describeRunEnergy, type RunEnergyDescription } from '../format/energyLabel';

export interface RunRecord {
  id: number;
  status: RunStatus;
  label: string | null;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  model: {
    file: string;
    name: string | null;
    sizeBytes: number;
    sha256: string;
    architecture: string | null;
    parameters: number | null;
    type: string | null;
    contextLength: number | null;
    hasChatTemplate: boolean;
  };
  settings: {
    threads: number;
    reps: number;
    warmup: number;
    context: number;
    suite: string;
    maxTokens: number | null;
    seed: number;
    promptFormat: 'chat' | 'completion';
    [key: string]: unknown;
  };
  hardware: { cpu: string; cores: number; threads: number; memoryBytes: number; gpus: GpuInfo[]; os: string; arch: string; hostname: string };
  runtime: Record<string, unknown>;
  /** mean ± sd, median, min … max and n of each metric over every measured repetition. */
  summary: RunMetrics;
  prompts: PromptSummary[];
  totalPromptTokens: number;
  totalOutputTokens: number;
  peakRssBytes: number | null;
  loadMs: number | null;
  /** The energy object of the power issue; null when energy was not measured or estimated. */
  energy: Record<string, unknown> | null;
  /**
   * What the energy figures are (measured, estimate, mixed or none), which window they cover, one plain
   * sentence, and the note said beside them when a constant term dominates an estimate. English.
   */
  energyDescription: RunEnergyDescription;
  energyRows: EnergyRow[];
  results: Array<Omit<ResultRow, 'runId'>>;
}

export function getRunRecord(db: Db, runId: number): RunRecord {
  const row = db
    .select({ run: runs, model: models, hw: hardware })
    .from(runs)
    .innerJoin(models, eq(runs.modelId, models.id))
    .innerJoin(hardware, eq(runs.hardwareId, hardware.id))
    .where(eq(runs.id, runId))
    .get();
  if (!row) throw new InputError(`run ${runId} not found; see wattbench list for the runs in this database`);
  const { run, model, hw } = row;
  const rs = db.select().from(results).where(eq(results.runId, runId)).orderBy(asc(results.promptIndex), asc(results.rep)).all();
  const energyRows = db.select().from(energy).where(and(eq(energy.runId, runId), isNull(energy.resultId))).all();
  const titles = new Map<string, string>();
  const promptList = (run.settings as { prompts?: Array<{ id: string; title: string }> }).prompts ?? [];
  for (const p of promptList) titles.set(p.id, p.title);
  const stored = run.summary as { energy?: Record<string, unknown> | null } | null;
  const summary = summarizeRun(rs, titles, stored?.energy ?? null);
  return {
    id: run.id,
    status: run.status,
    label: run.label,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: run.endedAt ? new Date(run.endedAt).toISOString() : null,
    error: run.error,
    model: {
      file: model.fileName,
      name: model.name,
      sizeBytes: model.sizeBytes,
      sha256: model.sha256,
      architecture: model.architecture,
      parameters: model.parameters,
      type: model.type,
      contextLength: model.contextLength,
      hasChatTemplate: model.hasChatTemplate,
    },
    settings: {
      ...run.settings,
      threads: run.threads,
      reps: run.reps,
      warmup: run.warmup,
      context: run.contextSize,
      suite: run.suite,
      maxTokens: run.maxTokens,
      seed: run.seed,
      promptFormat: run.promptFormat,
    },
    hardware: {
      cpu: hw.cpuModel,
      cores: hw.cpuCores,
      threads: hw.cpuThreads,
      memoryBytes: hw.memoryBytes,
      gpus: hw.gpus,
      os: hw.os,
      arch: hw.arch,
      hostname: hw.hostname,
    },
    runtime: run.runtime,
    summary: summary.metrics,
    prompts: summary.prompts,
    totalPromptTokens: summary.totalPromptTokens,
    totalOutputTokens: summary.totalOutputTokens,
    peakRssBytes: run.peakRssBytes,
    loadMs: run.loadMs,
    energy: summary.energy,
    energyDescription: describeRunEnergy(energyRows, run.energyBasis, 'en'),
    energyRows,
    results: rs.map(({ runId: _r, ...r }) => r),
  };
}
