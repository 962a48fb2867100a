// Names what an energy figure is: measured by which sensor, or estimated by which model, and what it covers.
import type { Lang } from '../i18n/lang';
import { translate, type MessageKey } from '../i18n/translate';
import { estimateModelFromNote } from '../energy/formatEnergyLabel';

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
export function describeSource(source: string, lang: Lang, note?: string | null): string {
  if (source === 'estimate') {
    // Energy rows note "…; estimate: <model>"; samples carry the model alone.
    const model = estimateModelFromNote(note ?? null) ?? note;
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
  note?: string | null;
}

/** The full label every energy figure carries: "measured: RAPL energy counters · CPU package". */
export function describeEnergy(p: EnergyProvenance, lang: Lang): string {
  return `${describeSource(p.source, lang, p.note)} · ${describeBoundary(p.boundary, lang)}`;
}

/** The label of several figures summed (e.g. RAPL package + DRAM): sources and boundaries joined. */
export function describeEnergyList(list: readonly EnergyProvenance[], lang: Lang): string {
  if (list.length === 0) return translate(lang, 'common.notMeasured');
  const sources = [...new Set(list.map((p) => describeSource(p.source, lang, p.note)))];
  const boundaries = sortBoundaries(list.map((p) => p.boundary)).map((b) => describeBoundary(b, lang));
  return `${sources.join(' + ')} · ${boundaries.join(' + ')}`;
}
