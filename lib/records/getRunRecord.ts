// The one result record of a run, read back from the database: --json, `show`, `export`, the terminal summary
// and the run page (lib/queries/getRunDetail) are all views of what readStoredRun returns.
//
// One rule for the figures: every statistic (per run and per prompt) is computed here from the `results` rows,
// the one truth for all runs alike (finished, interrupted, killed before writing a summary, or written by an older
// version). The summary the runner stored (runs.summary, parsed by its zod schema) adds only what results cannot
// give: the energy object (per-source detail, CPU attribution) and the prompts' titles. It is not preferred for
// the statistics: a killed run has none, its per-prompt energy is null (each repetition's energy is written to
// its result row, not into it), and the page and the CLI once disagreed by reading one or the other.
import { asc, eq, and, isNull } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { runs, models, hardware, results, energy, type EnergyRow, type HardwareRow, type ModelRow, type ResultRow, type RunRow } from '../db/schema';
import type { GpuInfo, PromptFormat, RunKind, RunStatus } from '../domain/types';
import type { EnergyJson, RunSettings, RunSummaryJson, RuntimeInfo, ServerInfo } from '../domain/jsonColumns';
import { summarizeRun } from '../runner/summarizeRun';
import type { RunMetrics, PromptSummary } from '../runner/types';
import { InputError } from '../errors/WattbenchError';
import { describeRunEnergy, type RunEnergyDescription } from '../format/energyLabel';
import { displayStatus, type DisplayStatus } from './runLabels';
import { runQuality, type RunQuality } from './runQuality';
import { monitorFigures, type MonitorFigures } from './monitorFigures';

/** Everything stored about one run, its JSON columns parsed, its figures chosen by the one rule above. */
export interface StoredRun {
  run: RunRow;
  model: ModelRow;
  hardware: HardwareRow;
  /** Measured repetitions, by prompt then repetition. */
  results: ResultRow[];
  /** Whole-run energy rows (resultId null), one per source and domain, in the order they were written. */
  energyRows: EnergyRow[];
  /** Statistics computed from `results`, with the stored summary's energy object (null when it stored none). */
  summary: RunSummaryJson;
  /** Whether the run stored a summary (it did not when it was killed, or is still running). */
  summaryStored: boolean;
  /** A monitor run's target and figures; null for a benchmark. */
  monitor: MonitorFigures | null;
}

/** The suite's prompt titles as the run's settings recorded them, else as its stored summary did. */
function titlesOf(settings: RunSettings, stored: RunSummaryJson | null): Map<string, string> {
  const titles = new Map<string, string>(Array.isArray(settings.prompts) ? settings.prompts.map((p) => [p.id, p.title]) : []);
  for (const p of stored?.prompts ?? []) if (!titles.has(p.promptId)) titles.set(p.promptId, p.title);
  return titles;
}

/** The stored run `runId`, or null when there is none. */
export function readStoredRun(db: Db, runId: number): StoredRun | null {
  const row = db
    .select({ run: runs, model: models, hw: hardware })
    .from(runs)
    .innerJoin(models, eq(runs.modelId, models.id))
    .innerJoin(hardware, eq(runs.hardwareId, hardware.id))
    .where(eq(runs.id, runId))
    .get();
  if (!row) return null;
  const rs = db.select().from(results).where(eq(results.runId, runId)).orderBy(asc(results.promptIndex), asc(results.rep)).all();
  const energyRows = db.select().from(energy).where(and(eq(energy.runId, runId), isNull(energy.resultId))).orderBy(asc(energy.id)).all();
  const stored = row.run.summary;
  const summary = summarizeRun(rs, titlesOf(row.run.settings, stored), stored?.energy ?? null);
  return { run: row.run, model: row.model, hardware: row.hw, results: rs, energyRows, summary, summaryStored: row.run.summary !== null, monitor: monitorFigures(db, row.run) };
}

export interface RunRecord {
  id: number;
  /** "benchmark", or "monitor" (`wattbench monitor`: no model, prompts or tokens; see `monitor`). */
  kind: 'benchmark' | RunKind;
  status: RunStatus;
  /** As shown (terminal, pages): "stale" when the run says running but its process on this machine is gone. */
  displayStatus: DisplayStatus;
  label: string | null;
  /** The sweep (one command with comma lists) this run is part of, and its place there (1-based); null: a single run. */
  sweepId: string | null;
  sweepIndex: number | null;
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
  /** The settings JSON, with the run row's promoted columns over it. */
  settings: RunSettings & {
    threads: number;
    reps: number;
    warmup: number;
    context: number;
    suite: string;
    maxTokens: number | null;
    seed: number;
    promptFormat: PromptFormat;
  };
  hardware: { cpu: string; cores: number; threads: number; memoryBytes: number; gpus: GpuInfo[]; os: string; arch: string; hostname: string };
  runtime: RuntimeInfo;
  /** A server run's server (`run --endpoint`: API, kind, version, model as served, where it runs); null for a GGUF run. */
  server: ServerInfo | null;
  /** mean ± sd, median, min … max and n of each metric over every measured repetition. */
  summary: RunMetrics;
  prompts: PromptSummary[];
  totalPromptTokens: number;
  totalOutputTokens: number;
  peakRssBytes: number | null;
  loadMs: number | null;
  /** The energy object of the power issue; null when energy was not measured or estimated. */
  energy: EnergyJson | null;
  /**
   * What the energy figures are (measured, estimate, mixed or none), which window they cover, one plain
   * sentence, and the note said beside them when a constant term dominates an estimate. English.
   */
  energyDescription: RunEnergyDescription;
  energyRows: EnergyRow[];
  /**
   * Graded answers (prompts with an `expect`): accuracy with its Wilson 95 % interval, joules per correct answer
   * (gross, the run's counted sources: labelled like `energy`), per prompt expected / got; null: nothing graded.
   */
  quality: RunQuality | null;
  results: Array<Omit<ResultRow, 'runId'>>;
  /** A monitor run's target, process CPU and memory, energy per hour; null for a benchmark. */
  monitor: MonitorFigures | null;
}

/** The record of a stored run (the shape of --json and export). */
export function toRunRecord(stored: StoredRun): RunRecord {
  const { run, model, hardware: hw, summary, energyRows } = stored;
  return {
    id: run.id,
    kind: run.kind ?? 'benchmark',
    status: run.status,
    displayStatus: displayStatus(run.status, run.pid, run.pidStartTicks, hw.hostname),
    label: run.label,
    sweepId: run.sweepId,
    sweepIndex: run.sweepIndex,
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
    server: run.runtime.server ?? null,
    summary: summary.metrics,
    prompts: summary.prompts,
    totalPromptTokens: summary.totalPromptTokens,
    totalOutputTokens: summary.totalOutputTokens,
    peakRssBytes: run.peakRssBytes,
    loadMs: run.loadMs,
    energy: summary.energy,
    energyDescription: describeRunEnergy(energyRows, run.energyBasis, 'en'),
    energyRows,
    quality: runQuality(stored.results, run.settings),
    results: stored.results.map(({ runId: _r, ...r }) => r),
    monitor: stored.monitor,
  };
}

/** The record of run `runId`; a missing run is bad input (exit 2) naming where to look. */
export function getRunRecord(db: Db, runId: number): RunRecord {
  const stored = readStoredRun(db, runId);
  if (!stored) throw new InputError(`run ${runId} not found; see wattbench list for the runs in this database`);
  return toRunRecord(stored);
}
