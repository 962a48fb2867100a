// The state of a run in progress (or the latest run), for the Live page and its polling API.
import { and, asc, count, desc, eq, gte, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { hardware, models, results, runs, samples } from '../db/schema';
import type { PowerReadingRow, RunStatus } from '../domain/types';
import { displayStatus, hardwareLabel, modelLabel, type DisplayStatus } from './runLabels';
import { promptCountOf } from './promptCount';

export interface LivePoint {
  /** Seconds relative to the latest sample (≤ 0). */
  x: number;
  powerW: number | null;
  tokensPerSec: number | null;
}

export interface LiveRun {
  runId: number;
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
      status: runs.status,
      pid: runs.pid,
      pidStartTicks: runs.pidStartTicks,
      suite: runs.suite,
      label: runs.label,
      reps: runs.reps,
      startedAt: runs.startedAt,
      endedAt: runs.endedAt,
      settings: runs.settings,
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
  return {
    runId: run.id,
    status,
    modelLabel: modelLabel(run.modelName, run.fileName),
    hardwareLabel: hardwareLabel(run.hostname, run.cpuModel),
    suite: run.suite,
    label: run.label,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    now,
    elapsedMs: (run.endedAt ?? (status === 'running' ? now : (last?.t ?? now))) - run.startedAt,
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
