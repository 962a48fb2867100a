// The time series of one run, downsampled on the server (LTTB) to at most `maxPoints` points per series.
import type { Db } from '../db/openDb';
import type { PowerReadingRow } from '../domain/types';
import { lttb, type Point } from '../series/lttb';
import { rollingRate } from '../series/rate';

export interface PowerSeries {
  /** "source|domain", or "total" for the sum of counted domains. */
  key: string;
  source: string;
  domain: string;
  boundary: string;
  method: string;
  points: Point[];
}

export interface PhaseSpan {
  phase: string;
  /** Seconds since the first sample. */
  from: number;
  to: number;
}

export interface RunSeries {
  /** Epoch ms of x = 0. */
  originMs: number;
  /** Seconds from the first to the last sample. */
  durationS: number;
  /** Samples stored for the run. */
  sampleCount: number;
  /** Most points drawn in any one series after downsampling. */
  maxDrawn: number;
  /** x: seconds since origin; y: whole-machine CPU %. */
  cpu: Point[];
  /** y: GiB. */
  rssGiB: Point[];
  memUsedGiB: Point[];
  /** y: output tokens per second over a 1 s window. */
  tokensPerSec: Point[];
  /** One series per power source and domain, plus "total" when there are several counted domains. */
  power: PowerSeries[];
  /** Where the run moves to another prompt (seconds since origin). */
  promptBoundaries: { x: number; promptIndex: number }[];
  /** Contiguous phases (idle, load, warmup, measure). */
  phases: PhaseSpan[];
}

/** Prompt boundaries drawn at most; past that they would hide the series. */
const MAX_BOUNDARIES = 60;
const GIB = 1024 ** 3;

type SampleTuple = [
  t: number,
  phase: string,
  cpu: number | null,
  rss: number | null,
  mem: number | null,
  tokens: number | null,
  powerW: number | null,
  power: string | null,
];

export function getRunSeries(db: Db, runId: number, maxPoints = 2000): RunSeries {
  const client = db.$client;
  const rows = client
    .prepare(
      `SELECT t, phase, cpu_percent, rss_bytes, mem_used_bytes, tokens_generated, power_w, power
         FROM samples WHERE run_id = ? ORDER BY t`,
    )
    .raw()
    .all(runId) as SampleTuple[];
  const run = client.prepare('SELECT started_at FROM runs WHERE id = ?').get(runId) as { started_at: number } | undefined;
  const originMs = rows.length ? Math.min(rows[0][0], run?.started_at ?? rows[0][0]) : (run?.started_at ?? 0);
  const sec = (t: number) => Math.round(t - originMs) / 1000;

  const cpu: Point[] = [];
  const rss: Point[] = [];
  const mem: Point[] = [];
  const total: Point[] = [];
  const perDomain = new Map<string, PowerSeries>();
  const phases: PhaseSpan[] = [];
  const times: number[] = [];
  const tokens: (number | null)[] = [];

  for (const [t, phase, c, r, m, tok, pw, powerJson] of rows) {
    const x = sec(t);
    times.push(t);
    tokens.push(tok);
    if (c !== null) cpu.push({ x, y: round(c, 1) });
    if (r !== null) rss.push({ x, y: round(r / GIB, 4) });
    if (m !== null) mem.push({ x, y: round(m / GIB, 4) });
    if (pw !== null) total.push({ x, y: round(pw, 2) });
    if (powerJson) {
      for (const reading of parseReadings(powerJson)) {
        const key = `${reading.source}|${reading.domain}`;
        let s = perDomain.get(key);
        if (!s) {
          s = { key, source: reading.source, domain: reading.domain, boundary: reading.boundary, method: reading.method, points: [] };
          perDomain.set(key, s);
        }
        s.points.push({ x, y: round(reading.watts, 2) });
      }
    }
    const last = phases[phases.length - 1];
    if (last && last.phase === phase) last.to = x;
    else phases.push({ phase, from: last ? last.to : x, to: x });
  }

  const power: PowerSeries[] = [...perDomain.values()];
  if (power.length > 1 && total.length) {
    power.push({ key: 'total', source: 'total', domain: 'total', boundary: 'total', method: 'sum', points: total });
  } else if (power.length === 0 && total.length) {
    power.push({ key: 'total', source: 'unknown', domain: 'total', boundary: 'unknown', method: 'unknown', points: total });
  }
  const tokensPerSec = rollingRate(times, tokens, 1000).map((p) => ({ x: sec(p.x), y: round(p.y, 1) }));

  const results = client
    .prepare('SELECT prompt_index, started_at FROM results WHERE run_id = ? ORDER BY started_at')
    .all(runId) as { prompt_index: number; started_at: number }[];
  let promptBoundaries: { x: number; promptIndex: number }[] = [];
  let previous: number | null = null;
  for (const r of results) {
    if (r.prompt_index !== previous) promptBoundaries.push({ x: sec(r.started_at), promptIndex: r.prompt_index });
    previous = r.prompt_index;
  }
  if (promptBoundaries.length > MAX_BOUNDARIES) {
    const step = promptBoundaries.length / MAX_BOUNDARIES;
    promptBoundaries = Array.from({ length: MAX_BOUNDARIES }, (_, i) => promptBoundaries[Math.floor(i * step)]);
  }

  const down = (p: Point[]) => lttb(p, maxPoints);
  const series = {
    cpu: down(cpu),
    rssGiB: down(rss),
    memUsedGiB: down(mem),
    tokensPerSec: down(tokensPerSec),
    power: power.map((p) => ({ ...p, points: down(p.points) })),
  };
  const lengths = [series.cpu, series.rssGiB, series.memUsedGiB, series.tokensPerSec, ...series.power.map((p) => p.points)].map(
    (s) => s.length,
  );
  return {
    originMs,
    durationS: rows.length ? sec(rows[rows.length - 1][0]) : 0,
    sampleCount: rows.length,
    maxDrawn: Math.max(0, ...lengths),
    ...series,
    promptBoundaries,
    phases,
  };
}

function parseReadings(json: string): PowerReadingRow[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v)
      ? v.filter(
          (r): r is PowerReadingRow =>
            typeof r === 'object' && r !== null && typeof r.source === 'string' && typeof r.watts === 'number' && Number.isFinite(r.watts),
        )
      : [];
  } catch {
    return [];
  }
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
