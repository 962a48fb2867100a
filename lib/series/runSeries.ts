// The time series of one run as the run page draws them, computed from the `samples` rows: every series
// min/max-downsampled (minMaxBuckets) to at most `maxPoints` points. `getRunSeries` reads it back stored
// (`run_series`, written at run end by `storeRunSeries`) or, for a run without a fresh stored copy, calls this.
import type { Db } from '../db/openDb';
import type { PowerReadingRow } from '../domain/types';
import { minMaxSink, type Point, type SeriesSink } from './minMaxBuckets';
import { rollingRate } from './rate';

/** The run page's point budget per series; a stored series is kept for this budget. */
export const RUN_SERIES_POINTS = 2000;

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
  /**
   * y: the recorded process's CPU %, of the machine (a monitor's watched processes; the benchmark itself).
   * Absent from series stored before it was added.
   */
  processCpu?: Point[];
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
  processCpu: number | null,
  rss: number | null,
  mem: number | null,
  tokens: number | null,
  powerW: number | null,
  power: string | null,
];

interface DomainSink {
  meta: Omit<PowerSeries, 'points'>;
  sink: SeriesSink;
}

export function computeRunSeries(db: Db, runId: number, maxPoints = RUN_SERIES_POINTS): RunSeries {
  const client = db.$client;
  const rows = client
    .prepare(
      `SELECT t, phase, cpu_percent, process_cpu_percent, rss_bytes, mem_used_bytes, tokens_generated, power_w, power
         FROM samples WHERE run_id = ? ORDER BY t`,
    )
    .raw()
    .all(runId) as SampleTuple[];
  const run = client.prepare('SELECT started_at FROM runs WHERE id = ?').get(runId) as { started_at: number } | undefined;
  const n = rows.length;
  const originMs = n ? Math.min(rows[0][0], run?.started_at ?? rows[0][0]) : (run?.started_at ?? 0);
  const sec = (t: number) => Math.round(t - originMs) / 1000;
  const firstX = n ? sec(rows[0][0]) : 0;
  const lastX = n ? sec(rows[n - 1][0]) : 0;
  // Every series has at most one point a sample, so the sample count decides whether to downsample.
  const sink = () => minMaxSink(firstX, lastX, n, maxPoints);

  const cpu = sink();
  const processCpu = sink();
  const rss = sink();
  const mem = sink();
  const total = sink();
  let hasTotal = false;
  const perDomain = new Map<string, DomainSink>();
  const phases: PhaseSpan[] = [];
  const times: number[] = new Array(n);
  const tokens: (number | null)[] = new Array(n);

  for (let i = 0; i < n; i++) {
    const [t, phase, c, pc, r, m, tok, pw, powerJson] = rows[i];
    const x = sec(t);
    times[i] = t;
    tokens[i] = tok;
    if (c !== null) cpu.add(x, c);
    if (pc !== null) processCpu.add(x, pc);
    if (r !== null) rss.add(x, r);
    if (m !== null) mem.add(x, m);
    if (pw !== null) {
      total.add(x, pw);
      hasTotal = true;
    }
    if (powerJson) {
      for (const reading of parseReadings(powerJson)) {
        const key = `${reading.source}|${reading.domain}`;
        let s = perDomain.get(key);
        if (!s) {
          s = { meta: { key, source: reading.source, domain: reading.domain, boundary: reading.boundary, method: reading.method }, sink: sink() };
          perDomain.set(key, s);
        }
        s.sink.add(x, reading.watts);
      }
    }
    const last = phases[phases.length - 1];
    if (last && last.phase === phase) last.to = x;
    else phases.push({ phase, from: last ? last.to : x, to: x });
  }

  const watts = (p: Point[]) => roundY(p, 2);
  const power: PowerSeries[] = [...perDomain.values()].map((d) => ({ ...d.meta, points: watts(d.sink.points()) }));
  if (power.length > 1 && hasTotal) {
    power.push({ key: 'total', source: 'total', domain: 'total', boundary: 'total', method: 'sum', points: watts(total.points()) });
  } else if (power.length === 0 && hasTotal) {
    power.push({ key: 'total', source: 'unknown', domain: 'total', boundary: 'unknown', method: 'unknown', points: watts(total.points()) });
  }
  const rate = sink();
  for (const p of rollingRate(times, tokens, 1000)) rate.add(sec(p.x), p.y);

  const series = {
    cpu: roundY(cpu.points(), 1),
    processCpu: roundY(processCpu.points(), 1),
    rssGiB: roundY(rss.points(), 4, GIB),
    memUsedGiB: roundY(mem.points(), 4, GIB),
    tokensPerSec: roundY(rate.points(), 1),
    power,
  };
  const lengths = [series.cpu, series.rssGiB, series.memUsedGiB, series.tokensPerSec, ...series.power.map((p) => p.points)].map(
    (s) => s.length,
  );
  return {
    originMs,
    durationS: lastX,
    sampleCount: n,
    maxDrawn: Math.max(0, ...lengths),
    ...series,
    promptBoundaries: promptBoundaries(db, runId, sec),
    phases,
  };
}

function promptBoundaries(db: Db, runId: number, sec: (t: number) => number): { x: number; promptIndex: number }[] {
  const results = db.$client
    .prepare('SELECT prompt_index, started_at FROM results WHERE run_id = ? ORDER BY started_at')
    .all(runId) as { prompt_index: number; started_at: number }[];
  const out: { x: number; promptIndex: number }[] = [];
  let previous: number | null = null;
  for (const r of results) {
    if (r.prompt_index !== previous) out.push({ x: sec(r.started_at), promptIndex: r.prompt_index });
    previous = r.prompt_index;
  }
  if (out.length <= MAX_BOUNDARIES) return out;
  const step = out.length / MAX_BOUNDARIES;
  return Array.from({ length: MAX_BOUNDARIES }, (_, i) => out[Math.floor(i * step)]);
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

/** Rounds the drawn values (after downsampling: rounding is monotonic, so minima and maxima stay themselves). */
function roundY(points: Point[], decimals: number, divisor = 1): Point[] {
  const f = 10 ** decimals;
  return points.map((p) => ({ x: p.x, y: Math.round((p.y / divisor) * f) / f }));
}
