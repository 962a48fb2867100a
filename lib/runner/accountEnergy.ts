// Turns the power readings gathered by the sampler into energy rows: one set per measured repetition,
// and one for the run (the sum of its measured repetitions), each split into prompt processing and
// generation at the first token; and says how much of the CPU other processes used meanwhile.
import type { EnergyJson } from '../energy/energyJson';
import type { Db } from '../db/openDb';
import { insertEnergy, setRunResultEnergy, type NewEnergy } from '../db/runWriter';
import type { PowerSource } from '../power/types';
import type { SampleRecord } from '../sampler/createSampler';
import { idleBaseline, summarizeEnergyWindows, energyJson, type EnergySummary, type EnergyTick, type EnergyFailure } from '../energy/summarizeEnergy';
import { combineEnergySummaries } from '../energy/combineEnergySummaries';
import { othersLoadWarning, summarizeCpuLoad, type CpuLoad, type OthersLoadWarning } from '../energy/cpuAttribution';
import type { RepetitionResult } from './types';

export interface EnergyAccount {
  totalJ: number;
  joulesPerToken: number | null;
  /** The sources behind the total, e.g. "estimate" or "rapl+nvidia". */
  sourceLabel: string;
  summary: EnergySummary;
  /** Machine, process and others' CPU use over the measured repetitions. */
  cpuLoad: CpuLoad | null;
  othersLoadWarning: OthersLoadWarning | null;
  /** The --json `energy` object. */
  json: EnergyJson;
}

export interface AccountEnergyOptions {
  db: Db;
  runId: number;
  samples: readonly SampleRecord[];
  results: readonly RepetitionResult[];
  resultIds: readonly number[];
  powerSources: readonly PowerSource[];
}

/** Null when no power source ran or no repetition was measured. */
export function accountEnergy(opts: AccountEnergyOptions): EnergyAccount | null {
  if (opts.powerSources.length === 0 || opts.results.length === 0) return null;
  const ticks: EnergyTick[] = opts.samples.map((s) => ({ t: s.t, readings: s.power }));
  const idleTicks = opts.samples.filter((s) => s.phase === 'idle').map((s) => ({ t: s.t, readings: s.power }));
  const idle = idleTicks.length > 1 ? idleBaseline(idleTicks.slice(1)) : undefined;
  const failures: EnergyFailure[] = opts.powerSources
    .filter((s) => s.failed)
    .map((s) => ({ source: s.id, reason: s.failureReason ?? 'unknown failure', atMs: s.failedAtMs ?? Date.now() }));

  // Without an output token the whole repetition was prompt processing (the model stopped at once).
  const windows = opts.results.map((r) => ({
    startMs: r.startedAt,
    endMs: r.endedAt,
    splitMs: r.firstTokenAt ?? r.endedAt,
    outputTokens: r.outputTokens,
    promptTokens: r.promptTokens,
  }));
  const perResult = summarizeEnergyWindows(ticks, windows, { idle, failures });
  const outputTokens = opts.results.reduce((a, r) => a + r.outputTokens, 0);
  const run = combineEnergySummaries(perResult, outputTokens);
  if (!run) return null;

  opts.db.transaction(() => {
    perResult.forEach((summary, i) => {
      const resultId = opts.resultIds[i];
      insertEnergy(opts.db, opts.runId, rowsOf(summary, resultId));
      setRunResultEnergy(opts.db, resultId, { energyJ: summary.totalJ, prefillJ: summary.prefillJ, decodeJ: summary.decodeJ });
    });
    insertEnergy(opts.db, opts.runId, rowsOf(run, null));
  });
  const countedSources = run.sources.filter((s) => s.countsTowardTotal);
  const counted = [...new Set(countedSources.map((s) => s.source))];
  const cpuLoad = summarizeCpuLoad(opts.samples, windows);
  const warning = othersLoadWarning(cpuLoad, countedSources);
  return {
    totalJ: run.totalJ,
    joulesPerToken: run.joulesPerToken,
    sourceLabel: counted.join('+') || 'none',
    summary: run,
    cpuLoad,
    othersLoadWarning: warning,
    json: energyJson(run, { load: cpuLoad, warning }),
  };
}

/** The energy rows of one summary (a repetition's, a run's, a monitor window's). */
export function rowsOf(summary: EnergySummary, resultId: number | null): NewEnergy[] {
  return summary.sources.map((s) => ({
    resultId,
    source: s.source,
    domain: s.domain,
    boundary: s.boundary,
    method: s.method,
    joules: s.joules,
    netJoules: s.netJoules,
    meanW: s.meanW,
    peakW: s.peakW,
    idleW: s.idleW,
    countsTowardTotal: s.countsTowardTotal,
    partial: s.partial,
    note: s.note,
    estimateModel: s.model,
    prefillJoules: s.prefillJoules,
    decodeJoules: s.decodeJoules,
    windowing: s.windowing,
  }));
}
