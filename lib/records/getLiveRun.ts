// The state of a run in progress (or the latest run), for the Live page and its polling API.
import { and, asc, count, desc, eq, gte, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { hardware, models, results, runs, samples } from '../db/schema';
import type { PowerReadingRow, RunKind, RunStatus } from '../domain/types';
import type { MonitorSettings } from '../domain/jsonColumns';
import { displayStatus, hardwareLabel, modelLabel, type DisplayStatus } from './runLabels';
import { promptCountOf } from './promptCount';

export interface LivePoint {
  /** Seconds relative to the latest sample (≤ 0). */
  x: number;
  powerW: number | null;
  tokensPerSec: number | null;
}

/** What the Live page shows of a monitor run instead of answers and tokens. */
export interface LiveMonitor {
  target: MonitorSettings['target'];
  /** --process NAME or the pid's command name; null for the whole machine. */
  name: string | null;
  pids: number[];
  /** The watched processes' CPU at the latest sample, % of the machine (null: the whole machine is watched). */
  processCpuPercent: number | null;
  /** Their resident memory at the latest sample, bytes. */
  rssBytes: number | null;
  /** Counted joules so far (the stored total once it ended); null without power readings. */
  joules: number | null;
  /** The same scaled to one hour, J. */
  joulesPerHour: number | null;
  /** The labels of the counted figures' sources ("estimate", "rapl"…), as stored with each reading. */
  sources: string[];
  /** The watched server's requests so far (runtime.monitorRequests; null: not counted), whether exact or a lower bound, and J per request so far. */
  requests: number | null;
  requestsExact: boolean;
  joulesPerRequest: number | null;
}

export interface LiveRun {
  runId: number;
  /** "monitor" for `wattbench monitor` (then `monitor` is set and answers, tokens and tok/s mean nothing). */
  kind: 'benchmark' | RunKind;
  monitor: LiveMonitor | null;
  status: DisplayStatus;
  modelLabel: string;
  hardwareLabel: string;
  suite: string;
  label: string | null;
  startedAt: number;
  endedAt: number | null;
  /** Server clock when this was read (epoch ms). */
  now: number;
  elapsedMs: number;
  /** Measured repetitions finished, and how many the run will do (null when the run did not record its suite size). */
  progress: { done: number; total: number | null };
  /** Output tokens so far (cumulative, from the latest sample). */
  tokensGenerated: number | null;
  /** Tokens per second over the last 2 s of samples; null before generation starts. */
  tokensPerSec: number | null;
  /** Power of the latest sample, summed over counted domains, and its readings (null: not measured). */
  powerW: number | null;
  powerReadings: PowerReadingRow[];
  cpuPercent: number | null;
  phase: string | null;
  promptIndex: number | null;
  /** Age of the latest sample in ms (null: no sample yet). */
  sampleAgeMs: number | null;
  /** The last 60 s, at most 1 point per 200 ms. */
  recent: LivePoint[];
  /** Energy figure of a finished run (null while running or not measured). */
  joulesPerToken: number | null;
  energySource: string | null;
  genTokensPerSec: number | null;
}

/** The run and what the page says about it (its settings and summary parsed, for the suite size). */
function pickRuns(db: Db, where: SQL | undefined, limit: number) {
  return db
    .select({
      id: runs.id,
      kind: runs.kind,
      totalJ: runs.totalJ,
      status: runs.status,
      pid: runs.pid,
      pidStartTicks: runs.pidStartTicks,
      suite: runs.suite,
      label: runs.label,
      reps: runs.reps,
      startedAt: runs.startedAt,
      endedAt: runs.endedAt,
      settings: runs.settings,
      runtime: runs.runtime,
      summary: runs.summary,
      joulesPerToken: runs.joulesPerToken,
      energySource: runs.energySource,
      genTokensPerSec: runs.genTokensPerSec,
      modelName: models.name,
      fileName: models.fileName,
      hostname: hardware.hostname,
      cpuModel: hardware.cpuModel,
    })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .innerJoin(hardware, eq(hardware.id, runs.hardwareId))
    .where(where)
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(limit)
    .all();
}

/** Window of the tokens/s figure. */
const RATE_WINDOW_MS = 2000;
const RECENT_MS = 60_000;

/**
 * The run `runId`, or when null the newest run still running (its process alive), else the newest run.
 * Null when the database has no run (or no such run).
 */
export function getLiveRun(db: Db, runId: number | null, now: number = Date.now()): LiveRun | null {
  let run: ReturnType<typeof pickRuns>[number] | undefined;
  if (runId !== null) {
    run = pickRuns(db, eq(runs.id, runId), 1)[0];
  } else {
    run =
      pickRuns(db, eq(runs.status, 'running'), 20).find((r) => displayStatus(r.status, r.pid, r.pidStartTicks, r.hostname) === 'running') ??
      pickRuns(db, undefined, 1)[0];
  }
  if (!run) return null;

  const done = db.select({ n: count() }).from(results).where(eq(results.runId, run.id)).get()?.n ?? 0;
  const prompts = promptCountOf(run.settings, run.summary);
  // The machine's CPU is not read at repetition-boundary samples (null there): the latest reading stands.
  const latestCpu = db
    .select({ cpuPercent: samples.cpuPercent })
    .from(samples)
    .where(and(eq(samples.runId, run.id), isNotNull(samples.cpuPercent)))
    .orderBy(desc(samples.t))
    .limit(1);
  const last = db
    .select({
      t: samples.t,
      phase: samples.phase,
      promptIndex: samples.promptIndex,
      cpuPercent: sql<number | null>`(${latestCpu})`,
      tokensGenerated: samples.tokensGenerated,
      powerW: samples.powerW,
      power: samples.power,
      processCpuPercent: samples.processCpuPercent,
      rssBytes: samples.rssBytes,
    })
    .from(samples)
    .where(eq(samples.runId, run.id))
    .orderBy(desc(samples.t))
    .limit(1)
    .get();

  let recent: LivePoint[] = [];
  let tokensPerSec: number | null = null;
  if (last) {
    const rows = db
      .select({ t: samples.t, tokens: samples.tokensGenerated, powerW: samples.powerW })
      .from(samples)
      .where(and(eq(samples.runId, run.id), gte(samples.t, last.t - RECENT_MS)))
      .orderBy(asc(samples.t))
      .all()
      .map((r): [number, number | null, number | null] => [r.t, r.tokens, r.powerW]);
    tokensPerSec = rateOver(rows, last.t - RATE_WINDOW_MS, last.t);
    recent = thin(rows, 200).map((row, i, arr) => ({
      x: Math.round(row[0] - last.t) / 1000,
      powerW: row[2],
      tokensPerSec: i === 0 ? null : rateBetween(arr[Math.max(0, i - 5)], row),
    }));
  }

  const status = displayStatus(run.status, run.pid, run.pidStartTicks, run.hostname);
  const elapsedMs = (run.endedAt ?? (status === 'running' ? now : (last?.t ?? now))) - run.startedAt;
  let monitor: LiveMonitor | null = null;
  if (run.kind === 'monitor') {
    const m = run.settings.monitor;
    const soFar = run.totalJ ?? countedJoulesSoFar(db, run.id);
    monitor = {
      target: m?.target ?? 'machine',
      name: m?.name ?? null,
      pids: m?.processes.map((p) => p.pid) ?? [],
      processCpuPercent: last?.processCpuPercent ?? null,
      rssBytes: last?.rssBytes ?? null,
      joules: soFar,
      joulesPerHour: soFar !== null && elapsedMs > 0 ? (soFar / elapsedMs) * 3_600_000 : null,
      sources: [...new Set((last?.power ?? []).filter((p) => p.countsTowardTotal !== false).map((p) => p.source))],
      requests: run.runtime.monitorRequests?.requests ?? null,
      requestsExact: run.runtime.monitorRequests?.exact ?? false,
      joulesPerRequest: soFar !== null && run.runtime.monitorRequests?.requests ? soFar / run.runtime.monitorRequests.requests : null,
    };
  }
  return {
    runId: run.id,
    kind: run.kind ?? 'benchmark',
    monitor,
    status,
    modelLabel: modelLabel(run.modelName, run.fileName),
    hardwareLabel: hardwareLabel(run.hostname, run.cpuModel),
    suite: run.suite,
    label: run.label,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    now,
    elapsedMs,
    progress: { done, total: prompts !== null ? prompts * run.reps : null },
    tokensGenerated: last?.tokensGenerated ?? null,
    tokensPerSec,
    powerW: last?.powerW ?? null,
    powerReadings: last?.power ?? [],
    cpuPercent: last?.cpuPercent ?? null,
    phase: last?.phase ?? null,
    promptIndex: last?.promptIndex ?? null,
    sampleAgeMs: last ? Math.max(0, now - last.t) : null,
    recent,
    joulesPerToken: run.joulesPerToken,
    energySource: run.energySource,
    genTokensPerSec: run.genTokensPerSec,
  };
}

/** Joules of the domains that count toward the total, over every sample so far; null without readings. */
function countedJoulesSoFar(db: Db, runId: number): number | null {
  const row = db.get<{ j: number | null }>(
    sql`SELECT sum(json_extract(r.value, '$.joules')) AS j FROM ${samples}, json_each(${samples.power}) AS r
        WHERE ${samples.runId} = ${runId} AND coalesce(json_extract(r.value, '$.countsTowardTotal'), 1) = 1`,
  );
  return row?.j ?? null;
}

function rateOver(rows: [number, number | null, number | null][], from: number, to: number): number | null {
  const window = rows.filter((r) => r[0] >= from && r[0] <= to && r[1] !== null);
  if (window.length < 2) return null;
  return rateBetween(window[0], window[window.length - 1]);
}

function rateBetween(a: [number, number | null, unknown], b: [number, number | null, unknown]): number | null {
  if (a[1] === null || b[1] === null || b[0] <= a[0]) return null;
  return Math.max(0, ((b[1] - a[1]) / (b[0] - a[0])) * 1000);
}

/** Keeps at most one row per `stepMs`, and always the last. */
function thin<R extends [number, ...unknown[]]>(rows: R[], stepMs: number): R[] {
  const out: R[] = [];
  let next = -Infinity;
  for (const r of rows) {
    if (r[0] >= next) {
      out.push(r);
      next = r[0] + stepMs;
    }
  }
  if (rows.length && out[out.length - 1] !== rows[rows.length - 1]) out.push(rows[rows.length - 1]);
  return out;
}
