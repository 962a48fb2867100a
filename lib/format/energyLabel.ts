// Names what an energy figure is: measured by which sensor, or estimated by which model, and what it covers.
// describeEnergy / describeEnergyList are the one source of every energy label: terminal, --json, CSV, footprint
// and pages ('en' outside the pages).
import type { Lang } from '../i18n/lang';
import { translate, type MessageKey } from '../i18n/translate';
import { estimateConstantShare, type ConstantShare, type ConstantShareRow } from '../energy/estimateConstantShare';
import { formatPercent } from './units';

const MEASURED_SOURCES = ['rapl', 'nvidia', 'amdgpu', 'apple', 'battery'] as const;
const BOUNDARIES = ['cpu-package', 'cpu-cores', 'dram', 'gpu-board', 'system'] as const;
const METHODS = ['counter', 'integrated-power', 'modelled'] as const;

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

export function isEstimate(source: string | null | undefined): boolean {
  return (source ?? '').split(/[+,]/).some((s) => s.trim() === 'estimate');
}

/** "measured: RAPL energy counters" or "estimated (model CodeCarbon TDP 65 W)". */
export function describeSource(source: string, lang: Lang, model?: string | null): string {
  if (source === 'estimate') {
    return model ? translate(lang, 'energy.source.estimate', { model }) : translate(lang, 'energy.source.estimateUnknown');
  }
  if (isOneOf(MEASURED_SOURCES, source)) return translate(lang, `energy.source.${source}` as MessageKey);
  return translate(lang, 'energy.source.other', { source });
}

/** A short tag for tables: "RAPL", "estimate", "RAPL + NVIDIA". Sources may be joined by "+" or ",". */
export function shortSource(source: string | null | undefined, lang: Lang): string | null {
  if (!source) return null;
  return source
    .split(/[+,]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s === 'estimate' || isOneOf(MEASURED_SOURCES, s) ? translate(lang, `energy.short.${s}` as MessageKey) : s))
    .join(' + ');
}

/** Boundaries in a fixed order (CPU package, DRAM, GPU board, system, then others). */
export function sortBoundaries(list: readonly string[]): string[] {
  const rank = (b: string) => {
    const i = (BOUNDARIES as readonly string[]).indexOf(b);
    return i < 0 ? BOUNDARIES.length : i;
  };
  return [...new Set(list)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function describeBoundary(boundary: string, lang: Lang): string {
  return isOneOf(BOUNDARIES, boundary) ? translate(lang, `energy.boundary.${boundary}` as MessageKey) : boundary;
}

export function describeMethod(method: string, lang: Lang): string {
  return isOneOf(METHODS, method) ? translate(lang, `energy.method.${method}` as MessageKey) : method;
}

export interface EnergyProvenance {
  source: string;
  boundary: string;
  method?: string | null;
  /** A stored energy row's estimate model (energy.estimate_model). */
  estimateModel?: string | null;
  /** An estimate's model on a live reading (PowerDomain.model, samples' power JSON). */
  model?: string | null;
}

function sourceOf(p: EnergyProvenance, lang: Lang): string {
  // A modelled figure is an estimate whatever source produced it.
  return describeSource(p.method === 'modelled' ? 'estimate' : p.source, lang, p.estimateModel ?? p.model);
}

/** The label every energy figure carries: "measured: RAPL energy counters · CPU package". */
export function describeEnergy(p: EnergyProvenance, lang: Lang): string {
  return `${sourceOf(p, lang)} · ${describeBoundary(p.boundary, lang)}`;
}

/**
 * The label of several figures summed (e.g. RAPL package + DRAM): each source once, with the boundaries it
 * covers, "measured: RAPL energy counters · CPU package + memory (DRAM) + measured: NVIDIA GPU sensor · GPU board".
 */
export function describeEnergyList(list: readonly EnergyProvenance[], lang: Lang): string {
  if (list.length === 0) return translate(lang, 'common.notMeasured');
  const bySource = new Map<string, string[]>();
  for (const p of list) {
    const source = sourceOf(p, lang);
    bySource.set(source, [...(bySource.get(source) ?? []), p.boundary]);
  }
  return [...bySource].map(([source, boundaries]) => `${source} · ${sortBoundaries(boundaries).map((b) => describeBoundary(b, lang)).join(' + ')}`).join(' + ');
}

/** What a run's energy total is made of. */
export type EnergyBasis = 'measured' | 'estimate' | 'mixed' | 'none';
const BASES: readonly EnergyBasis[] = ['measured', 'estimate', 'mixed', 'none'];

/**
 * The basis of a run's energy: the stored `runs.energy_basis` when the runner wrote it, else derived from
 * its counted whole-run energy rows (method "modelled" is an estimate, any other a measurement).
 */
export function energyBasisOf(stored: string | null | undefined, rows: ReadonlyArray<{ method: string; countsTowardTotal?: boolean | null }>): EnergyBasis {
  if (stored && isOneOf(BASES, stored)) return stored;
  const counted = rows.filter((r) => r.countsTowardTotal !== false);
  const estimated = counted.some((r) => r.method === 'modelled');
  const measured = counted.some((r) => r.method !== 'modelled');
  return estimated && measured ? 'mixed' : estimated ? 'estimate' : measured ? 'measured' : 'none';
}

/** "measured", "estimated", "measured + estimated", "not measured". */
export function describeBasis(basis: EnergyBasis, lang: Lang): string {
  return translate(lang, `energy.basis.${basis}`);
}

function joinWords(words: string[], lang: Lang): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')}${translate(lang, 'energy.plain.and')}${words[words.length - 1]}`;
}

/**
 * One plain sentence for a workshop audience, from the sources actually used: "No power sensor here:
 * estimated from CPU load and the processor's rated power, plus a fixed guess for memory.", "Measured by the
 * CPU's energy counter: CPU package only." Counted figures only, like the total.
 */
export function plainEnergySentence(rows: ReadonlyArray<{ source: string; boundary: string; method: string; countsTowardTotal?: boolean | null }>, lang: Lang): string {
  const counted = rows.filter((r) => r.countsTowardTotal !== false);
  const measured = counted.filter((r) => r.method !== 'modelled');
  const estimated = counted.filter((r) => r.method === 'modelled');
  if (counted.length === 0) return translate(lang, 'energy.plain.none');
  if (measured.length === 0) {
    const ram = estimated.some((r) => r.boundary === 'dram') ? translate(lang, 'energy.plain.estimateRam') : '';
    return translate(lang, 'energy.plain.estimate', { ram });
  }
  const sensors = joinWords(
    [...new Set(measured.map((r) => r.source))].map((s) => (isOneOf(MEASURED_SOURCES, s) ? translate(lang, `energy.plain.sensor.${s}`) : s)),
    lang,
  );
  const boundaries = (list: typeof counted) => joinWords(sortBoundaries(list.map((r) => r.boundary)).map((b) => describeBoundary(b, lang)), lang);
  if (estimated.length > 0) return translate(lang, 'energy.plain.mixed', { sensors, measured: boundaries(measured), estimated: boundaries(estimated) });
  const key = measured.some((r) => r.boundary === 'system') ? 'energy.plain.measuredSystem' : 'energy.plain.measured';
  return translate(lang, key, { sensors, boundaries: boundaries(measured) });
}

/** Everything a view says around a run's energy figure, in one language. */
export interface RunEnergyDescription {
  basis: EnergyBasis;
  /** describeBasis(basis). */
  basisText: string;
  /** Which time the figures cover; null when there are none. */
  window: string | null;
  /** plainEnergySentence of the counted rows. */
  sentence: string;
  /** The estimate's workload-independent share; null for a measurement or no energy. */
  constantShare: ConstantShare | null;
  /** Said beside the figure when the constant share dominates; null otherwise. */
  constantNote: string | null;
}

/** The one description of a run's energy behind the terminal, --json, CSV, footprint and the pages. */
export function describeRunEnergy(rows: readonly ConstantShareRow[], storedBasis: string | null | undefined, lang: Lang): RunEnergyDescription {
  const basis = energyBasisOf(storedBasis, rows);
  const constantShare = estimateConstantShare(rows);
  let constantNote: string | null = null;
  if (constantShare?.dominant) {
    const share = formatPercent(constantShare.share * 100, lang);
    constantNote = translate(lang, constantShare.exact ? 'energy.constant' : 'energy.constantAtLeast', { share });
  }
  return {
    basis,
    basisText: describeBasis(basis, lang),
    window: basis === 'none' ? null : translate(lang, 'energy.window'),
    sentence: plainEnergySentence(rows, lang),
    constantShare,
    constantNote,
  };
}
