// The state of a run in progress (or the latest run), for the Live page and its polling API.
import type { Db } from '../db/openDb';
import type { PowerReadingRow, RunStatus } from '../db/schema';
import { displayStatus, hardwareLabel, modelLabel, type DisplayStatus } from './labels';
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

interface RunPick {
  id: number;
  status: RunStatus;
  pid: number;
  pid_start_ticks: string | null;
  suite: string;
  label: string | null;
  reps: number;
  started_at: number;
  ended_at: number | null;
  settings: string;
  summary: string | null;
  joules_per_token: number | null;
  energy_source: string | null;
  gen_tokens_per_sec: number | null;
  model_name: string | null;
  file_name: string;
  hostname: string;
  cpu_model: string;
}

const RUN_SELECT = `SELECT r.id, r.status, r.pid, r.pid_start_ticks, r.suite, r.label, r.reps, r.started_at, r.ended_at,
       r.settings, r.summary, r.joules_per_token, r.energy_source, r.gen_tokens_per_sec,
       m.name AS model_name, m.file_name, h.hostname, h.cpu_model
  FROM runs r JOIN models m ON m.id = r.model_id JOIN hardware h ON h.id = r.hardware_id`;

/** Window of the tokens/s figure. */
const RATE_WINDOW_MS = 2000;
const RECENT_MS = 60_000;

/**
 * The run `runId`, or when null the newest run still running (its process alive), else the newest run.
 * Null when the database has no run (or no such run).
 */
export function getLiveRun(db: Db, runId: number | null, now: number = Date.now()): LiveRun | null {
  const client = db.$client;
  let run: RunPick | undefined;
  if (runId !== null) {
    run = client.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(runId) as RunPick | undefined;
  } else {
    const running = client
      .prepare(`${RUN_SELECT} WHERE r.status = 'running' ORDER BY r.started_at DESC, r.id DESC LIMIT 20`)
      .all() as RunPick[];
    run =
      running.find((r) => displayStatus(r.status, r.pid, r.pid_start_ticks, r.hostname) === 'running') ??
      (client.prepare(`${RUN_SELECT} ORDER BY r.started_at DESC, r.id DESC LIMIT 1`).get() as RunPick | undefined);
  }
  if (!run) return null;

  const done = (client.prepare('SELECT count(*) AS n FROM results WHERE run_id = ?').get(run.id) as { n: number }).n;
  const prompts = promptCountOf(parseJson(run.settings), parseJson(run.summary));
  const last = client
    .prepare(
      // The machine's CPU is not read at repetition-boundary samples (null there): the latest reading stands.
      `SELECT t, phase, prompt_index,
              (SELECT c.cpu_percent FROM samples c WHERE c.run_id = s.run_id AND c.cpu_percent IS NOT NULL ORDER BY c.t DESC LIMIT 1) AS cpu_percent,
              tokens_generated, power_w, power
         FROM samples s WHERE run_id = ? ORDER BY t DESC LIMIT 1`,
    )
    .get(run.id) as
    | { t: number; phase: string; prompt_index: number | null; cpu_percent: number | null; tokens_generated: number | null; power_w: number | null; power: string | null }
    | undefined;

  let recent: LivePoint[] = [];
  let tokensPerSec: number | null = null;
  if (last) {
    const rows = client
      .prepare('SELECT t, tokens_generated, power_w FROM samples WHERE run_id = ? AND t >= ? ORDER BY t')
      .raw()
      .all(run.id, last.t - RECENT_MS) as [number, number | null, number | null][];
    tokensPerSec = rateOver(rows, last.t - RATE_WINDOW_MS, last.t);
    recent = thin(rows, 200).map((row, i, arr) => ({
      x: Math.round(row[0] - last.t) / 1000,
      powerW: row[2],
      tokensPerSec: i === 0 ? null : rateBetween(arr[Math.max(0, i - 5)], row),
    }));
  }

  const status = displayStatus(run.status, run.pid, run.pid_start_ticks, run.hostname);
  return {
    runId: run.id,
    status,
    modelLabel: modelLabel(run.model_name, run.file_name),
    hardwareLabel: hardwareLabel(run.hostname, run.cpu_model),
    suite: run.suite,
    label: run.label,
    startedAt: run.started_at,
    endedAt: run.ended_at,
    now,
    elapsedMs: (run.ended_at ?? (status === 'running' ? now : (last?.t ?? now))) - run.started_at,
    progress: { done, total: prompts !== null ? prompts * run.reps : null },
    tokensGenerated: last?.tokens_generated ?? null,
    tokensPerSec,
    powerW: last?.power_w ?? null,
    powerReadings: last?.power ? (parseJson(last.power) as PowerReadingRow[] | null) ?? [] : [],
    cpuPercent: last?.cpu_percent ?? null,
    phase: last?.phase ?? null,
    promptIndex: last?.prompt_index ?? null,
    sampleAgeMs: last ? Math.max(0, now - last.t) : null,
    recent,
    joulesPerToken: run.joules_per_token,
    energySource: run.energy_source,
    genTokensPerSec: run.gen_tokens_per_sec,
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

function parseJson(s: string | null): unknown {
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
