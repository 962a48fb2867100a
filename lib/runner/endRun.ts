// The finish stage, the one way every run ends, completed, interrupted or failed: stop sampling, store the
// last samples, account the energy of the repetitions measured, and write the run's status, reason, summary
// and end time. Each write may fail on its own (a full disk): what can be stored is, and the run row is
// written last, with the reserve given back first so that it fits.
import type { Db } from '../db/openDb';
import { finishRun, type RunEnd } from '../db/runWriter';
import { storeRunSeries } from '../db/storeRunSeries';
import { WattbenchError, ExitCode } from '../errors/WattbenchError';
import type { PowerSource } from '../power/types';
import type { Sampler } from '../sampler/createSampler';
import { accountEnergy, type EnergyAccount } from './accountEnergy';
import { isDiskFull, type DiskReserve } from './diskReserve';
import { endingOfAbort, endingReason, firstLine, type RunEnding } from './runEnding';
import type { SampleFlush } from './sampleFlush';
import { summarizeRun } from './summarizeRun';
import type { RepetitionResult, RunSummaryJson } from './types';

export interface EndRunOptions {
  db: Db;
  runId: number;
  sampler: Sampler;
  flush: SampleFlush;
  reserve: DiskReserve;
  powerSources: readonly PowerSource[];
  measured: readonly RepetitionResult[];
  resultIds: readonly number[];
  /** Prompt id → title, for the summary. */
  titles: ReadonlyMap<string, string>;
}

export interface EndedRun {
  status: RunEnd['status'];
  /** The reason stored with the run; null when it completed. */
  reason: string | null;
  summary: RunSummaryJson;
  energy: EnergyAccount | null;
  /** Whether a write failed for want of space (the fix to suggest). */
  diskFull: boolean;
}

export async function endRun(opts: EndRunOptions, ending: RunEnding): Promise<EndedRun> {
  const { db, runId, sampler } = opts;
  // Whatever ended the run, its last writes are the ones that must fit.
  opts.reserve.release();
  opts.flush.stop();
  sampler.stop();
  for (const source of opts.powerSources) await source.stop().catch(() => undefined);

  const dbFile = db.$client.name;
  const problems: string[] = [];
  let diskFull = ending.status === 'failed' && isDiskFull(ending.error);
  const storeFailed = (what: string, err: unknown): void => {
    diskFull ||= isDiskFull(err);
    problems.push(`${what}: ${isDiskFull(err) ? `the disk holding ${dbFile} is full` : firstLine(err)}`);
  };
  try {
    opts.flush.flushNow();
  } catch (err) {
    storeFailed('the last samples were not stored', err);
  }
  let energy: EnergyAccount | null = null;
  try {
    energy = accountEnergy({ db, runId, samples: sampler.all, results: opts.measured, resultIds: opts.resultIds, powerSources: opts.powerSources });
  } catch (err) {
    storeFailed('its energy was not stored', err);
  }
  const summary = summarizeRun(opts.measured, opts.titles, energy?.json ?? null);

  // A completed run whose last writes failed did not store all it measured: that is a failure.
  const status: RunEnd['status'] = ending.status === 'completed' && problems.length > 0 ? 'failed' : ending.status;
  const reason = [failureReason(ending, dbFile), ...problems].filter((r): r is string => r !== null).join('; ') || null;
  try {
    finishRun(db, runId, {
      status,
      endedAt: Date.now(),
      error: reason,
      peakRssBytes: sampler.peakRssBytes(),
      genTokensPerSec: summary.metrics.genTokensPerSec?.mean ?? null,
      ttftMs: summary.metrics.ttftMs?.mean ?? null,
      outputTokens: summary.totalOutputTokens,
      joulesPerToken: energy?.joulesPerToken ?? null,
      totalJ: energy?.totalJ ?? null,
      energySource: energy?.sourceLabel ?? null,
      energyBasis: energy?.summary.basis ?? 'none',
      summary,
    });
  } catch (err) {
    const why = isDiskFull(err) ? `the disk holding ${dbFile} is full` : firstLine(err);
    throw new WattbenchError(
      `run ${runId} ${reason ?? 'ended'}, and its end could not be stored (${why}); the next wattbench command marks it interrupted — free some space`,
      ExitCode.runFailed,
    );
  }
  // The chart series the run page draws, stored once; it can always be recomputed from the samples, so a
  // failure here (a full disk) never changes how the run ended.
  try {
    storeRunSeries(db, runId);
  } catch {
    /* the run page falls back to computing it */
  }
  return { status, reason, summary, energy, diskFull };
}

function failureReason(ending: RunEnding, dbFile: string): string | null {
  if (ending.status === 'failed' && isDiskFull(ending.error)) return `the disk holding ${dbFile} is full (${firstLine(ending.error)})`;
  return endingReason(ending);
}

/** A run that ended "failed" once stored: its id says which record to read. */
export class RunFailedError extends WattbenchError {
  readonly runId: number;
  constructor(message: string, runId: number, exitCode: number) {
    super(message, exitCode);
    this.name = 'RunFailedError';
    this.runId = runId;
  }
}

/**
 * The end stage as every kind of run has it (a model's, a server's): the ending from what stopped the measure
 * stage (a failure, else an abort's reason, else completed), `endRun`, and a run stored "failed" thrown as a
 * RunFailedError that says what was kept and where to read it.
 */
export async function concludeRun(opts: EndRunOptions, failure: { error: unknown } | null, stop: AbortSignal): Promise<{ ended: EndedRun; ending: RunEnding }> {
  const ending: RunEnding = failure ? { status: 'failed', error: failure.error } : stop.aborted ? endingOfAbort(stop.reason) : { status: 'completed' };
  const ended = await endRun(opts, ending);
  if (ended.status === 'failed') {
    const fix = ended.diskFull ? 'free some space and run again' : `see wattbench show ${opts.runId}`;
    const exitCode = ending.status === 'failed' && ending.error instanceof WattbenchError ? ending.error.exitCode : ExitCode.runFailed;
    throw new RunFailedError(`run ${opts.runId} failed: ${ended.reason}; the ${opts.measured.length} repetitions and the samples gathered until then are stored — ${fix}`, opts.runId, exitCode);
  }
  return { ended, ending };
}
