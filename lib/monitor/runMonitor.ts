// A monitor run: power by source and the watched processes' CPU and memory, recorded like a benchmark's
// samples (the same sampler at 10 Hz, flushed every second) into a run row of kind "monitor", until the
// duration, a signal, or the watched processes' exit. Its energy is the whole window's, with the same rows and
// labels as a run's (summarizeEnergy); the estimate's CPU part is attributed by the watched processes' CPU time.
//
// Requests: when the watched processes are a known server (--endpoint, or a port they listen on), its own
// counters are polled about once a second (lib/monitor/requestCounter) and stored in runtime.monitorRequests as
// they grow, with a last poll at the end; otherwise that record says why they are not counted.
//
// How it ends: the duration → completed; the watched processes all exited → completed, with the reason
// "the watched process exited (pid N)" (what was watched is over; nothing failed); a signal → interrupted
// (every sample kept, the reason names the signal); a write that threw → failed.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { runs } from '../db/schema';
import { createRun, finishRun, insertEnergy, upsertHardware, upsertModel, type RunEnd } from '../db/runWriter';
import { processStartTicks } from '../db/processIdentity';
import { storeRunSeries } from '../db/storeRunSeries';
import type { MonitorRequests, MonitorSettings, RuntimeInfo } from '../domain/jsonColumns';
import { summarizeCpuLoad } from '../energy/cpuAttribution';
import { energyJson, summarizeEnergy, type EnergySummary } from '../energy/summarizeEnergy';
import { ExitCode, WattbenchError } from '../errors/WattbenchError';
import type { HardwareFacts } from '../hardware/detectHardware';
import type { PowerSource } from '../power/types';
import { rowsOf } from '../runner/accountEnergy';
import { createDiskReserve, isDiskFull } from '../runner/diskReserve';
import { endingOfAbort, endingReason, firstLine, type InterruptSignal, type RunEnding } from '../runner/runEnding';
import { startSampleFlush } from '../runner/sampleFlush';
import { summarizeRun } from '../runner/summarizeRun';
import { createSampler, type SamplerState, type SampleRecord } from '../sampler/createSampler';
import type { FoundProcess } from './findProcesses';
import { createProcessProbe } from './processProbe';
import type { NotCountedReason } from './notCountedReason';
import { createRequestCounter, notAServer, REQUEST_POLL_INTERVAL_MS, type WatchedServer } from './requestCounter';

export interface MonitorTarget {
  kind: MonitorSettings['target'];
  /** --process NAME, the pid's command name, or null for the whole machine. */
  name: string | null;
  processes: FoundProcess[];
}

/** What the terminal's status line shows, once a second. */
export interface MonitorStatus {
  elapsedMs: number;
  /** Counted power of the latest sample, W (null: no reading yet). */
  powerW: number | null;
  /** Counted joules so far. */
  joules: number;
  /** The watched processes' CPU over the latest sample, % of the machine (null for the whole machine). */
  processCpuPercent: number | null;
  /** The machine's CPU, %. */
  cpuPercent: number | null;
  rssBytes: number | null;
  /** Requests the watched server served so far (null: not counted), and whether that is a lower bound. */
  requests: number | null;
  requestsExact: boolean;
}

export interface RunMonitorOptions {
  db: Db;
  hardware: HardwareFacts;
  target: MonitorTarget;
  /** Stop after this long, ms; null: until a signal or the watched processes' exit. */
  durationMs: number | null;
  label?: string;
  /** The power sources requested (for the record): "auto" or a list. */
  power: string;
  /** Started here, stopped at the end. */
  powerSources: PowerSource[];
  sampleIntervalMs?: number;
  /** Aborting ends the monitor: a RunInterruption "interrupted" by its signal, another Error "failed". */
  signal?: AbortSignal;
  onStatus?(status: MonitorStatus): void;
  /** Root holding proc/, for the processes' files. Defaults to "/". */
  root?: string;
  /** The server the watched processes run, whose requests are counted; null with the reason it is not counted. */
  server: WatchedServer | null;
  /** Why requests are not counted when `server` is null. */
  notServerReason?: NotCountedReason;
}

export interface MonitorOutcome {
  runId: number;
  status: RunEnd['status'];
  interruptedBy: InterruptSignal | null;
  /** Stored with the run: why it ended when not by its duration (a signal, the process's exit, a failure). */
  reason: string | null;
  energy: EnergySummary | null;
  durationMs: number;
  /** The requests counted (as stored in runtime.monitorRequests). */
  requests: MonitorRequests;
}

/** A monitor's subject in the models table: runs need one, and lists then name what was watched. */
function subjectFacts(target: MonitorTarget) {
  const subject = target.kind === 'machine' ? 'whole machine' : (target.name ?? 'process');
  return {
    path: '',
    fileName: `monitor: ${subject}`,
    name: null,
    sizeBytes: 0,
    sha256: `monitor:${subject}`,
    architecture: null,
    parameters: null,
    type: null,
    contextLength: null,
    hasChatTemplate: false,
  };
}

const countedJoules = (s: SampleRecord): number => s.power.reduce((sum, p) => sum + (p.countsTowardTotal ? p.joules : 0), 0);

export async function runMonitor(opts: RunMonitorOptions): Promise<MonitorOutcome> {
  const { db, target } = opts;
  const intervalMs = opts.sampleIntervalMs ?? 100;
  const stop = new AbortController();
  let failure: { error: unknown } | null = null;
  let exited: string | null = null;
  const fail = (err: unknown): void => {
    failure ??= { error: err };
    stop.abort(err);
  };
  const onCallerAbort = (): void => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onCallerAbort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const probe = target.kind === 'machine' ? null : createProcessProbe(target.processes.map((p) => p.pid), opts.root);
  const state: SamplerState = { phase: 'measure', promptIndex: null, tokensGenerated: 0 };
  const startedAt = Date.now();
  for (const source of opts.powerSources) await source.start({ nowMs: startedAt, cpuUtilisation: 0 });
  const sampler = createSampler({ intervalMs, getState: () => state, powerSources: opts.powerSources, process: probe, root: opts.root });
  sampler.start();

  const settings: MonitorSettings = {
    target: target.kind,
    name: target.name,
    processes: target.processes,
    durationS: opts.durationMs === null ? null : opts.durationMs / 1000,
  };
  const counter = opts.server ? createRequestCounter(opts.server) : null;
  const noCount = notAServer(opts.notServerReason ?? { code: 'wholeMachine', params: {} });
  const runtime: RuntimeInfo = {
    nodeVersion: process.version,
    powerSources: opts.powerSources.map((s) => ({ id: s.id, label: s.label })),
    monitorRequests: counter?.snapshot() ?? noCount,
  };
  let runId: number;
  try {
    const hardwareId = upsertHardware(db, opts.hardware);
    const modelId = upsertModel(db, subjectFacts(target));
    runId = createRun(db, {
      kind: 'monitor',
      modelId,
      hardwareId,
      suite: 'monitor',
      label: opts.label ?? null,
      // A monitor runs no model: the benchmark's columns that cannot be null hold zeros, and readers go by `kind`.
      threads: 0,
      reps: 0,
      warmup: 0,
      contextSize: 0,
      maxTokens: null,
      seed: 0,
      promptFormat: 'completion',
      settings: { label: opts.label, sampleIntervalMs: intervalMs, power: opts.power, monitor: settings },
      runtime,
      pid: process.pid,
      pidStartTicks: processStartTicks(process.pid),
      startedAt,
      engine: null,
    });
  } catch (err) {
    sampler.stop();
    probe?.close();
    for (const source of opts.powerSources) await source.stop().catch(() => undefined);
    opts.signal?.removeEventListener('abort', onCallerAbort);
    if (isDiskFull(err)) throw new WattbenchError(`cannot start the monitor: the disk holding ${db.$client.name} is full; free some space and run again`, ExitCode.runFailed);
    throw err;
  }

  const reserve = createDiskReserve(db.$client.name);
  const flush = startSampleFlush(db, runId, sampler, fail);
  try {
    flush.flushNow(); // the samples of the run's start, at once: the Live page has figures from its first poll
  } catch (err) {
    fail(err);
  }
  // The server's counters, polled once a second (one poll at a time) and stored when they change.
  let stored = JSON.stringify(runtime.monitorRequests);
  const storeRequests = (): void => {
    if (!counter) return;
    const snapshot = counter.snapshot();
    const text = JSON.stringify(snapshot);
    if (text === stored) return;
    db.update(runs).set({ runtime: { ...runtime, monitorRequests: snapshot } }).where(eq(runs.id, runId)).run();
    stored = text;
  };
  let polling: Promise<void> | null = null;
  const pollRequests = (): Promise<void> => {
    if (!counter) return Promise.resolve();
    polling ??= counter
      .poll()
      .then(storeRequests)
      .catch(fail)
      .finally(() => {
        polling = null;
      });
    return polling;
  };
  void pollRequests(); // the baseline: what the server had served before the window
  const requestTimer = counter ? setInterval(() => void pollRequests(), REQUEST_POLL_INTERVAL_MS) : null;

  // Once a second: the watched processes still there? And the status line.
  let joules = 0;
  let seen = 0;
  const everySecond = (): void => {
    const all = sampler.all;
    for (; seen < all.length; seen++) joules += countedJoules(all[seen]);
    const last = all[all.length - 1];
    opts.onStatus?.({
      elapsedMs: Date.now() - startedAt,
      powerW: last?.powerW ?? null,
      joules,
      processCpuPercent: last?.processCpuPercent ?? null,
      cpuPercent: last?.cpuPercent ?? null,
      rssBytes: last?.rssBytes ?? null,
      requests: counter?.snapshot().requests ?? null,
      requestsExact: counter?.snapshot().exact ?? false,
    });
    if (probe && probe.alive().length === 0 && !stop.signal.aborted) {
      const pids = target.processes.map((p) => p.pid).join(', ');
      exited = target.processes.length === 1 ? `the watched process exited (pid ${pids})` : `the watched processes exited (pids ${pids})`;
      stop.abort();
    }
  };
  await new Promise<void>((resolve) => {
    const status = setInterval(everySecond, 1000);
    // The duration counts from the window's start (the run row's write is inside it).
    const timer = opts.durationMs === null ? null : setTimeout(() => stop.abort(), Math.max(0, startedAt + opts.durationMs - Date.now()));
    const done = (): void => {
      clearInterval(status);
      if (timer) clearTimeout(timer);
      resolve();
    };
    if (stop.signal.aborted) done();
    else stop.signal.addEventListener('abort', done, { once: true });
  });
  opts.signal?.removeEventListener('abort', onCallerAbort);
  if (requestTimer) clearInterval(requestTimer);
  // The requests that ended up to now: the poll under way, then a last one (unless the server is gone with its processes).
  await polling;
  if (counter && exited === null && !failure) await pollRequests();

  // End: the one path for every ending, as endRun's.
  const failed = failure as { error: unknown } | null;
  const ending: RunEnding = failed ? { status: 'failed', error: failed.error } : opts.signal?.aborted ? endingOfAbort(opts.signal.reason) : { status: 'completed' };
  reserve.release();
  flush.stop();
  state.phase = 'done';
  sampler.stop();
  probe?.close();
  for (const source of opts.powerSources) await source.stop().catch(() => undefined);
  const problems: string[] = [];
  try {
    flush.flushNow();
  } catch (err) {
    problems.push(`the last samples were not stored: ${firstLine(err)}`);
  }
  const all = sampler.all;
  const endedAt = all.length ? all[all.length - 1].t : Date.now();
  const window = { startMs: startedAt, endMs: endedAt };
  let energy: EnergySummary | null = null;
  let summaryEnergy = null;
  try {
    if (opts.powerSources.length > 0) {
      const failures = opts.powerSources
        .filter((s) => s.failed)
        .map((s) => ({ source: s.id, reason: s.failureReason ?? 'unknown failure', atMs: s.failedAtMs ?? endedAt }));
      energy = summarizeEnergy(
        all.map((s) => ({ t: s.t, readings: s.power })),
        window,
        { failures },
      );
      insertEnergy(db, runId, rowsOf(energy, null));
      // The watched processes' share of the machine's CPU over the window ("process" is theirs, not wattbench's).
      summaryEnergy = energyJson(energy, { load: probe ? summarizeCpuLoad(all, [window]) : null, warning: null });
    }
  } catch (err) {
    problems.push(`its energy was not stored: ${firstLine(err)}`);
  }
  const status: RunEnd['status'] = ending.status === 'completed' && problems.length > 0 ? 'failed' : ending.status;
  const reason = [ending.status === 'completed' ? exited : endingReason(ending), ...problems].filter((r): r is string => r !== null).join('; ') || null;
  try {
    finishRun(db, runId, {
      status,
      endedAt,
      error: reason,
      peakRssBytes: sampler.peakRssBytes(),
      totalJ: energy?.totalJ ?? null,
      energySource: energy ? [...new Set(energy.sources.filter((s) => s.countsTowardTotal).map((s) => s.source))].join('+') || 'none' : null,
      energyBasis: energy?.basis ?? 'none',
      summary: summarizeRun([], new Map(), summaryEnergy),
    });
  } catch (err) {
    throw new WattbenchError(`monitor run ${runId} ${reason ?? 'ended'}, and its end could not be stored (${firstLine(err)}); the next wattbench run marks it interrupted`, ExitCode.runFailed);
  }
  try {
    storeRunSeries(db, runId);
  } catch {
    /* the run page computes it from the samples */
  }
  if (status === 'failed') throw new WattbenchError(`monitor run ${runId} failed: ${reason}; the samples gathered until then are stored — see wattbench show ${runId}`, ExitCode.runFailed);
  return {
    runId,
    status,
    interruptedBy: ending.status === 'interrupted' ? ending.signal : null,
    reason,
    energy,
    durationMs: endedAt - startedAt,
    requests: counter?.snapshot() ?? noCount,
  };
}
