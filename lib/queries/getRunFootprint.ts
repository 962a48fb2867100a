// Collects one run's footprint inputs and asks the estimator (when there is one) for the local/cloud comparison.
import type { Db } from '../db/openDb';
import { modelLabel } from './labels';
import { countedEnergySql } from './energyColumns';
import { footprintEstimator } from './footprintEstimator';
import { describeEnergyList, describeRunEnergy } from '../format/energyLabel';
import type { Lang } from '../i18n/lang';
import type { FootprintComparison, FootprintEstimator, FootprintInput } from './footprintTypes';

export interface RunFootprint {
  input: FootprintInput;
  /** Null when no estimator is available in this build. */
  comparison: FootprintComparison | null;
  estimatorAvailable: boolean;
  /** Why the estimator failed, if it threw. */
  error: string | null;
}

/**
 * The inputs of the comparison for a run, its energy described (basis, window, constant-term note) in `lang`;
 * null when the run does not exist.
 */
export function getFootprintInput(db: Db, runId: number, country: string | null, lang: Lang = 'en'): FootprintInput | null {
  const client = db.$client;
  const run = client
    .prepare(
      `SELECT r.id, r.energy_basis, m.name, m.file_name, m.parameters, m.size_bytes, m.type, m.architecture
         FROM runs r JOIN models m ON m.id = r.model_id WHERE r.id = ?`,
    )
    .get(runId) as
    | {
        id: number;
        energy_basis: string | null;
        name: string | null;
        file_name: string;
        parameters: number | null;
        size_bytes: number;
        type: string | null;
        architecture: string | null;
      }
    | undefined;
  if (!run) return null;
  const tokens = client
    .prepare('SELECT count(*) AS n, coalesce(sum(prompt_tokens), 0) AS input, coalesce(sum(output_tokens), 0) AS output FROM results WHERE run_id = ?')
    .get(runId) as { n: number; input: number; output: number };
  // Whole-run rows that count toward the total: a RAPL core or dram sub-zone inside its package is not added.
  const rows = client
    .prepare(
      `SELECT source, domain, boundary, method, joules, partial, note, mean_w AS meanW, idle_w AS idleW
         FROM energy WHERE run_id = ? AND result_id IS NULL${countedEnergySql(db)} ORDER BY id`,
    )
    .all(runId) as {
    source: string;
    domain: string;
    boundary: string;
    method: string;
    joules: number;
    partial: number;
    note: string | null;
    meanW: number | null;
    idleW: number | null;
  }[];

  // The one description of a run's energy, as the terminal, --json and the run page give it.
  const described = describeRunEnergy(rows, run.energy_basis, lang);
  let local: FootprintInput['local'] = null;
  // Like the CLI (getRunFootprintInput): a run whose basis says "none" has no local figure.
  if (rows.length && described.basis !== 'none') {
    const joules = rows.reduce((a, r) => a + r.joules, 0);
    const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];
    local = {
      joules,
      wh: joules / 3600,
      sources: uniq(rows.map((r) => r.source)),
      boundaries: uniq(rows.map((r) => r.boundary)),
      methods: uniq(rows.map((r) => r.method)),
      notes: uniq(rows.map((r) => r.note)),
      partial: rows.some((r) => r.partial === 1),
      label: describeEnergyList(rows, lang),
      basis: described.basis,
      basisText: described.basisText,
      window: described.window ?? '',
      constantNote: described.constantNote,
    };
  }
  return {
    runId,
    country,
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    answers: tokens.n,
    local,
    model: {
      label: modelLabel(run.name, run.file_name),
      name: run.name,
      fileName: run.file_name,
      parameters: run.parameters,
      sizeBytes: run.size_bytes,
      type: run.type,
      architecture: run.architecture,
    },
  };
}

/** The glue the lead can rewire: inputs from the database, comparison from lib/footprint. */
export function getRunFootprint(
  db: Db,
  runId: number,
  country: string | null,
  estimator: FootprintEstimator | null = footprintEstimator,
  lang: Lang = 'en',
): RunFootprint | null {
  const input = getFootprintInput(db, runId, country, lang);
  if (!input) return null;
  if (!estimator) return { input, comparison: null, estimatorAvailable: false, error: null };
  try {
    return { input, comparison: estimator.compare(input), estimatorAvailable: true, error: null };
  } catch (err) {
    return { input, comparison: null, estimatorAvailable: true, error: (err as Error).message };
  }
}

export interface FootprintRunOption {
  id: number;
  label: string;
  startedAt: number;
  energySource: string | null;
}

/** Completed runs to choose from, newest first (at most 300). */
export function getFootprintRuns(db: Db): FootprintRunOption[] {
  const rows = db.$client
    .prepare(
      `SELECT r.id, r.started_at, r.energy_source, r.suite, m.name, m.file_name FROM runs r JOIN models m ON m.id = r.model_id
        WHERE r.status = 'completed' ORDER BY r.started_at DESC, r.id DESC LIMIT 300`,
    )
    .all() as { id: number; started_at: number; energy_source: string | null; suite: string; name: string | null; file_name: string }[];
  return rows.map((r) => ({
    id: r.id,
    label: `#${r.id} ${modelLabel(r.name, r.file_name)} · ${r.suite}`,
    startedAt: r.started_at,
    energySource: r.energy_source,
  }));
}

/** The countries the page offers (none without an estimator). */
export function getFootprintCountries(estimator: FootprintEstimator | null = footprintEstimator) {
  return estimator ? estimator.countries() : [];
}
