// Energy over a time window from the sampler's recorded ticks: pure functions, no I/O.
//
// A reading at tick time t carries the energy of (t − intervalMs, t] (intervalMs absent: since the
// previous tick). A window (startMs, endMs] takes from each reading the share of its joules that
// falls inside, pro rata by time. When window edges fall on ticks this is exactly "the ticks with
// startMs < t <= endMs"; a window shorter than one tick (a few-ms repetition of a tiny model) gets
// its share of the overlapping tick, never 0 and never the whole tick twice. Adjacent windows add
// up to the window that covers both. The runner takes a tick at every repetition boundary
// (Sampler.mark), so a counter read there splits exactly ("edges"); a reading the boundary cuts is
// shared pro rata ("pro-rata"). A window split at its first token gives prompt processing
// (startMs, splitMs] and generation (splitMs, endMs] by the same rule, so the two add up to the whole.
import type { EnergyBoundary, EnergyMethod, EnergyWindowing, PowerReading, PowerSourceId } from '../power/types';
import { describeEnergy } from '../format/energyLabel';

export { energyJson, type EnergyJson } from './energyJson';

/** One sampler tick: its time and every source's readings for the interval that ends then. */
export interface EnergyTick {
  /** Epoch ms. */
  t: number;
  readings: PowerReading[];
}

export interface IdleDomain {
  source: PowerSourceId;
  domain: string;
  boundary: EnergyBoundary;
  method: EnergyMethod;
  countsTowardTotal: boolean;
  /** Mean power over the idle ticks, watts. */
  watts: number;
  /** Readings averaged. */
  samples: number;
}

export interface IdleBaseline {
  /** Time the idle ticks cover, ms. */
  durationMs: number;
  /** Empty when there were no idle ticks: no baseline. */
  domains: IdleDomain[];
  /** Sum of the counted domains' idle watts. */
  totalW: number;
}

export interface EnergyFailure {
  source: PowerSourceId;
  reason: string;
  /** Epoch ms. */
  atMs: number;
}

export interface SummarizeEnergyOptions {
  /** Idle power to subtract for net energy; absent or empty → netJ and idleW are null. */
  idle?: IdleBaseline;
  /** Sources that failed (PowerSource.failedAtMs / failureReason): their figures are partial. */
  failures?: EnergyFailure[];
  /** Output tokens generated in the window, for joules per token. */
  outputTokens?: number;
}

/** One window: a repetition (startMs, endMs], optionally split at its first token. */
export interface EnergyWindow {
  startMs: number;
  endMs: number;
  /** End of prompt processing (the first token): splits the window into prefill and decode. */
  splitMs?: number;
  outputTokens?: number;
  /** Prompt tokens processed in the window, for joules per prompt token. */
  promptTokens?: number;
}

export interface SourceEnergy {
  source: PowerSourceId;
  domain: string;
  boundary: EnergyBoundary;
  method: EnergyMethod;
  countsTowardTotal: boolean;
  /** The estimate's model, null for measured domains. */
  model: string | null;
  /** describeEnergy of this figure, in English. */
  label: string;
  joules: number;
  /** Joules above idle over the measured time; null without a baseline for this domain. */
  netJoules: number | null;
  /** Mean power while measured, watts. */
  meanW: number;
  peakW: number;
  idleW: number | null;
  /** Time in the window with a reading, ms. */
  coveredMs: number;
  /** True when the source failed or left gaps in the window. */
  partial: boolean;
  /** Why it is partial, and which model produced an estimate. */
  note: string | null;
  /** "edges" when every reading fell wholly inside or outside the window (counters read at its boundaries). */
  windowing: EnergyWindowing;
  /** Joules of prompt processing and of generation after the first token; null when the window was not split. */
  prefillJoules: number | null;
  decodeJoules: number | null;
}

export interface EnergySummary {
  /** Gross joules of the counted domains. */
  totalJ: number;
  /** Joules above idle; null without a baseline. */
  netJ: number | null;
  /** Idle power of the counted domains, watts; null without a baseline. */
  idleW: number | null;
  /** Mean power of the counted domains while measured, watts. */
  meanW: number;
  /** Highest sum of the counted domains' power at one tick, watts. */
  peakW: number;
  joulesPerToken: number | null;
  whPer1kTokens: number | null;
  durationMs: number;
  /** True when a counted figure is partial or a source failed before giving any reading. */
  partial: boolean;
  /** What the total is made of: sensors only, the estimate only, both, or nothing. */
  basis: 'measured' | 'estimate' | 'mixed' | 'none';
  sources: SourceEnergy[];
  /** Failures of sources that left no domain in the ticks. */
  notes: string[];
  /** Counted joules of prompt processing, (start, first token]; null when not split. */
  prefillJ: number | null;
  /** Counted joules of generation after the first token, (first token, end]; null when not split. */
  decodeJ: number | null;
  /** Prompt tokens processed, and tokens generated after the first (null: not given). */
  promptTokens: number | null;
  decodeTokens: number | null;
  /** prefillJ / promptTokens. */
  prefillJPerPromptToken: number | null;
  /** decodeJ / decodeTokens: the first token comes with prompt processing, as in TTFT. */
  decodeJPerToken: number | null;
}

type DomainMeta = Pick<PowerReading, 'source' | 'domain' | 'boundary' | 'method' | 'countsTowardTotal' | 'model' | 'windowing'>;

const keyOf = (r: { source: string; domain: string }) => `${r.source}\u0000${r.domain}`;

/** The start of the interval a reading covers. */
function readingStart(r: PowerReading, t: number, prevT: number | null): number {
  if (r.intervalMs !== undefined && r.intervalMs >= 0) return t - r.intervalMs;
  return prevT === null ? t : prevT;
}

/** Mean watts per (source, domain) over idle ticks: joules over time where intervals are known. */
export function idleBaseline(ticks: EnergyTick[]): IdleBaseline {
  const sorted = [...ticks].sort((a, b) => a.t - b.t);
  const acc = new Map<string, { meta: DomainMeta; joules: number; ms: number; wattsSum: number; n: number }>();
  let first = Infinity;
  let last = -Infinity;
  sorted.forEach((tick, i) => {
    const prevT = i > 0 ? sorted[i - 1].t : null;
    for (const r of tick.readings) {
      const start = readingStart(r, tick.t, prevT);
      first = Math.min(first, start);
      last = Math.max(last, tick.t);
      const k = keyOf(r);
      const a = acc.get(k) ?? { meta: r, joules: 0, ms: 0, wattsSum: 0, n: 0 };
      a.joules += r.joules;
      a.ms += tick.t - start;
      a.wattsSum += r.watts;
      a.n += 1;
      acc.set(k, a);
    }
  });
  const domains: IdleDomain[] = [...acc.values()].map(({ meta, joules, ms, wattsSum, n }) => ({
    source: meta.source,
    domain: meta.domain,
    boundary: meta.boundary,
    method: meta.method,
    countsTowardTotal: meta.countsTowardTotal,
    watts: ms > 0 ? joules / (ms / 1000) : wattsSum / n,
    samples: n,
  }));
  return {
    durationMs: domains.length ? last - first : 0,
    domains,
    totalW: domains.filter((d) => d.countsTowardTotal).reduce((s, d) => s + d.watts, 0),
  };
}

interface DomainAcc {
  meta: DomainMeta;
  joules: number;
  prefill: number;
  /** A reading was cut by a window edge or the split: shared pro rata. */
  cut: boolean;
  coveredMs: number;
  peakW: number;
  gaps: number;
  ticks: number;
}

/** Energy per source and domain, and totals, over (window.startMs, window.endMs]. */
export function summarizeEnergy(ticks: EnergyTick[], window: { startMs: number; endMs: number }, options: SummarizeEnergyOptions = {}): EnergySummary {
  return summarizeEnergyWindows(ticks, [{ ...window, outputTokens: options.outputTokens }], options)[0];
}

/**
 * summarizeEnergy for many windows over one recording (a run's repetitions): the ticks are sorted and their
 * domains listed once, and each window visits only the ticks that can overlap it (found by binary search),
 * so a long run with thousands of repetitions costs O(ticks + windows · log ticks), not O(ticks · windows).
 */
export function summarizeEnergyWindows(
  ticks: EnergyTick[],
  windows: ReadonlyArray<EnergyWindow>,
  options: Omit<SummarizeEnergyOptions, 'outputTokens'> = {},
): EnergySummary[] {
  const sorted = ticks.every((tk, i) => i === 0 || ticks[i - 1].t <= tk.t) ? ticks : [...ticks].sort((a, b) => a.t - b.t);
  // Every domain seen in the recording, so that one missing from a window is reported, not dropped.
  const metas = new Map<string, DomainMeta>();
  for (const tick of sorted) for (const r of tick.readings) if (!metas.has(keyOf(r))) metas.set(keyOf(r), r);
  return windows.map((w) => summarizeSorted(sorted, metas, w, { ...options, outputTokens: w.outputTokens }));
}

/** Length of (a, b] ∩ (c, d]. */
function overlapMs(a: number, b: number, c: number, d: number): number {
  return Math.max(0, Math.min(b, d) - Math.max(a, c));
}

/** Index of the first tick with t > ms (ticks sorted by t). */
function firstAfter(sorted: EnergyTick[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].t > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function summarizeSorted(sorted: EnergyTick[], metas: Map<string, DomainMeta>, window: EnergyWindow, options: SummarizeEnergyOptions): EnergySummary {
  const { startMs: S, endMs: E } = window;
  const split = window.splitMs !== undefined;
  // The split point, kept inside the window.
  const F = Math.min(E, Math.max(S, window.splitMs ?? E));
  const acc = new Map<string, DomainAcc>();
  for (const [k, meta] of metas) acc.set(k, { meta, joules: 0, prefill: 0, cut: false, coveredMs: 0, peakW: 0, gaps: 0, ticks: 0 });
  let peakTotalW = 0;
  // A tick at or before S ends before the window; once the previous tick is past E, so is every later one.
  for (let i = firstAfter(sorted, S); i < sorted.length && (i === 0 || sorted[i - 1].t <= E); i++) {
    const tick = sorted[i];
    const prevT = i > 0 ? sorted[i - 1].t : null;
    const starts = tick.readings.map((r) => readingStart(r, tick.t, prevT));
    const tickStart = prevT ?? (starts.length ? Math.min(...starts) : tick.t);
    const overlaps = tickStart < tick.t ? tickStart < E && tick.t > S : S < tick.t && tick.t <= E;
    if (!overlaps) continue;
    const present = new Set<string>();
    let tickCountedW = 0;
    tick.readings.forEach((r, j) => {
      const a = acc.get(keyOf(r))!;
      const start = starts[j];
      let share: number;
      let prefillShare: number;
      let ms: number;
      if (tick.t > start) {
        ms = overlapMs(start, tick.t, S, E);
        share = ms / (tick.t - start);
        prefillShare = overlapMs(start, tick.t, S, F) / (tick.t - start);
      } else {
        ms = 0;
        share = S < tick.t && tick.t <= E ? 1 : 0;
        prefillShare = S < tick.t && tick.t <= F ? 1 : 0;
      }
      if (share <= 0) return;
      if (share < 1 || (split && prefillShare > 0 && prefillShare < share)) a.cut = true;
      present.add(keyOf(r));
      a.joules += r.joules * share;
      a.prefill += r.joules * prefillShare;
      a.coveredMs += ms;
      a.peakW = Math.max(a.peakW, r.watts);
      if (r.countsTowardTotal) tickCountedW += r.watts;
    });
    peakTotalW = Math.max(peakTotalW, tickCountedW);
    for (const [k, a] of acc) {
      a.ticks += 1;
      if (!present.has(k)) a.gaps += 1;
    }
  }

  const failures = options.failures ?? [];
  const idle = options.idle && options.idle.domains.length > 0 ? options.idle : undefined;
  const sources: SourceEnergy[] = [...acc.values()].map((a) => {
    const m = a.meta;
    const idleDomain = idle?.domains.find((d) => d.source === m.source && d.domain === m.domain);
    const idleW = idleDomain ? idleDomain.watts : null;
    const failure = failures.find((f) => f.source === m.source && f.atMs <= E);
    const notes: string[] = [];
    if (failure) notes.push(`${m.source} failed at ${new Date(failure.atMs).toISOString()}: ${failure.reason}`);
    if (a.gaps > 0) notes.push(`no reading in ${a.gaps} of ${a.ticks} samples`);
    if (m.method === 'modelled' && m.model) notes.push(`estimate: ${m.model}`);
    return {
      source: m.source,
      domain: m.domain,
      boundary: m.boundary,
      method: m.method,
      countsTowardTotal: m.countsTowardTotal,
      model: m.model ?? null,
      label: describeEnergy(m, 'en'),
      joules: a.joules,
      netJoules: idleW === null ? null : a.joules - (idleW * a.coveredMs) / 1000,
      meanW: a.coveredMs > 0 ? a.joules / (a.coveredMs / 1000) : 0,
      peakW: a.peakW,
      idleW,
      coveredMs: a.coveredMs,
      partial: failure !== undefined || a.gaps > 0,
      note: notes.length ? notes.join('; ') : null,
      windowing: m.windowing === 'edges' && !a.cut ? 'edges' : 'pro-rata',
      prefillJoules: split ? a.prefill : null,
      decodeJoules: split ? a.joules - a.prefill : null,
    };
  });

  const counted = sources.filter((s) => s.countsTowardTotal);
  const totalJ = counted.reduce((s, d) => s + d.joules, 0);
  const withIdle = idle !== undefined && counted.length > 0 && counted.every((d) => d.idleW !== null);
  const orphanFailures = failures.filter((f) => f.atMs <= E && !sources.some((s) => s.source === f.source));
  const tokens = options.outputTokens;
  const joulesPerToken = tokens !== undefined && tokens > 0 ? totalJ / tokens : null;
  const estimated = counted.some((d) => d.method === 'modelled');
  const measured = counted.some((d) => d.method !== 'modelled');
  const prefillJ = split ? counted.reduce((s, d) => s + (d.prefillJoules ?? 0), 0) : null;
  const decodeJ = split ? counted.reduce((s, d) => s + (d.decodeJoules ?? 0), 0) : null;
  const promptTokens = split ? (window.promptTokens ?? null) : null;
  const decodeTokens = split && tokens !== undefined ? Math.max(0, tokens - 1) : null;
  return {
    totalJ,
    netJ: withIdle ? counted.reduce((s, d) => s + (d.netJoules ?? 0), 0) : null,
    idleW: withIdle ? counted.reduce((s, d) => s + (d.idleW ?? 0), 0) : null,
    meanW: counted.reduce((s, d) => s + d.meanW, 0),
    peakW: peakTotalW,
    joulesPerToken,
    whPer1kTokens: joulesPerToken === null ? null : (joulesPerToken * 1000) / 3600,
    durationMs: E - S,
    partial: counted.some((d) => d.partial) || orphanFailures.length > 0,
    basis: estimated && measured ? 'mixed' : estimated ? 'estimate' : measured ? 'measured' : 'none',
    sources,
    notes: orphanFailures.map((f) => `${f.source} failed at ${new Date(f.atMs).toISOString()} before any reading: ${f.reason}`),
    ...phaseFigures(prefillJ, decodeJ, promptTokens, decodeTokens),
  };
}

/** The prefill/decode part of an EnergySummary, with the per-token figures (null where a divisor is 0 or unknown). */
export function phaseFigures(
  prefillJ: number | null,
  decodeJ: number | null,
  promptTokens: number | null,
  decodeTokens: number | null,
): Pick<EnergySummary, 'prefillJ' | 'decodeJ' | 'promptTokens' | 'decodeTokens' | 'prefillJPerPromptToken' | 'decodeJPerToken'> {
  return {
    prefillJ,
    decodeJ,
    promptTokens,
    decodeTokens,
    prefillJPerPromptToken: prefillJ !== null && promptTokens ? prefillJ / promptTokens : null,
    decodeJPerToken: decodeJ !== null && decodeTokens ? decodeJ / decodeTokens : null,
  };
}
