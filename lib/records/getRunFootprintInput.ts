// What the footprint comparison needs from a stored run: its tokens, its counted energy with labels, its model.
// `wattbench footprint --run` and the Footprint page (lib/queries/getRunFootprint) both read it here.
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { energy, models, results, runs } from '../db/schema';
import type { EnergyBasis, RunStatus } from '../domain/types';
import type { LocalEnergyInput, LocalModelInfo } from '../footprint/types';
import { describeEnergyList, describeRunEnergy } from '../format/energyLabel';
import type { Lang } from '../i18n/lang';
import { modelLabel } from './runLabels';

/** A run's counted whole-run energy, summed, with its labels in one language. */
export interface RunFootprintEnergy {
  joules: number;
  /** Source tags in first-written order: "rapl", "nvidia", "estimate"… */
  sources: string[];
  /** "cpu-package", "dram", "gpu-board", "system". */
  boundaries: string[];
  /** "counter", "integrated-power", "modelled". */
  methods: string[];
  /** Notes of the rows: why a figure is partial, which model produced an estimate. */
  notes: string[];
  /** True when a source failed during the run: the figure covers only part of it. */
  partial: boolean;
  /** describeEnergyList of the rows, e.g. "measured: RAPL energy counters · CPU package". */
  label: string;
  /** measured | estimate | mixed: from describeRunEnergy (runs.energy_basis, else the rows' methods). */
  basis: Exclude<EnergyBasis, 'none'>;
  /** The basis in words ("measured", "estimated", "measured + estimated"). */
  basisText: string;
  /** Which time the figure covers (measured repetitions; load, idle and warm-ups excluded). */
  window: string;
  /** Said beside the figure when an estimate's constant term dominates; null otherwise. */
  constantNote: string | null;
}

export interface RunFootprintInput {
  runId: number;
  /** "monitor": no tokens to compare with the cloud (the CLI refuses it, the page answers 404). */
  kind: 'benchmark' | 'monitor';
  status: RunStatus;
  /** Measured repetitions the token sums cover. */
  repetitions: number;
  /** Sum of the prompt tokens of the run's measured repetitions. */
  inputTokens: number;
  /** Sum of the output tokens of the run's measured repetitions. */
  outputTokens: number;
  /** Null when the run has no counted energy row, or its basis says none. */
  local: RunFootprintEnergy | null;
  model: {
    /** The file name without ".gguf" (what the dashboard shows). */
    label: string;
    /** GGUF general.name, when the file has one (often generic, e.g. "llama"). */
    name: string | null;
    fileName: string;
    /** Total parameters (null: unknown). */
    parameters: number | null;
    sizeBytes: number;
    type: string | null;
    architecture: string | null;
  };
}

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))];

/** The run's footprint input with its labels in `lang`, or null when there is no such run. */
export function getRunFootprintInput(db: Db, runId: number, lang: Lang = 'en'): RunFootprintInput | null {
  const run = db
    .select({
      id: runs.id,
      kind: runs.kind,
      status: runs.status,
      energyBasis: runs.energyBasis,
      name: models.name,
      fileName: models.fileName,
      parameters: models.parameters,
      sizeBytes: models.sizeBytes,
      type: models.type,
      architecture: models.architecture,
    })
    .from(runs)
    .innerJoin(models, eq(runs.modelId, models.id))
    .where(eq(runs.id, runId))
    .get();
  if (!run) return null;

  const tokens = db
    .select({
      repetitions: count(),
      inputTokens: sql<number>`coalesce(sum(${results.promptTokens}), 0)`,
      outputTokens: sql<number>`coalesce(sum(${results.outputTokens}), 0)`,
    })
    .from(results)
    .where(eq(results.runId, runId))
    .get();

  // Whole-run rows only (resultId null), and only those that count toward the total: a RAPL core or
  // dram sub-zone is inside its package and would be counted twice. They cover measured repetitions only.
  const rows = db
    .select()
    .from(energy)
    .where(and(eq(energy.runId, runId), isNull(energy.resultId), eq(energy.countsTowardTotal, true)))
    .orderBy(asc(energy.id))
    .all();

  // The one description of a run's energy, as the terminal, --json and the run page give it.
  const described = describeRunEnergy(rows, run.energyBasis, lang);
  const local: RunFootprintEnergy | null =
    rows.length === 0 || described.basis === 'none'
      ? null
      : {
          joules: rows.reduce((sum, r) => sum + r.joules, 0),
          sources: distinct(rows.map((r) => r.source)),
          boundaries: distinct(rows.map((r) => r.boundary)),
          methods: distinct(rows.map((r) => r.method)),
          notes: distinct(rows.map((r) => r.note)),
          partial: rows.some((r) => r.partial),
          label: describeEnergyList(rows, lang),
          basis: described.basis,
          basisText: described.basisText,
          window: described.window ?? '',
          constantNote: described.constantNote,
        };

  return {
    runId: run.id,
    kind: run.kind ?? 'benchmark',
    status: run.status,
    repetitions: tokens?.repetitions ?? 0,
    inputTokens: tokens?.inputTokens ?? 0,
    outputTokens: tokens?.outputTokens ?? 0,
    local,
    model: {
      label: modelLabel(run.name, run.fileName),
      name: run.name,
      fileName: run.fileName,
      parameters: run.parameters,
      sizeBytes: run.sizeBytes,
      type: run.type,
      architecture: run.architecture,
    },
  };
}

/** The run's energy as compareLocalToCloud takes it: several sources, boundaries or methods joined by " + ". */
export function localEnergyInput(local: Omit<RunFootprintEnergy, 'notes' | 'basisText'>): LocalEnergyInput {
  return {
    joules: local.joules,
    source: local.sources.join(' + '),
    boundary: local.boundaries.join(' + '),
    method: local.methods.join(' + '),
    partial: local.partial,
    label: local.label,
    basis: local.basis,
    window: local.window,
    constantNote: local.constantNote,
  };
}

/** The run's model as compareLocalToCloud takes it. */
export function localModelInfo(model: RunFootprintInput['model']): LocalModelInfo {
  return { name: model.name, fileName: model.fileName, parameters: model.parameters };
}
