// The label every energy figure carries: measured or estimate, by what, over which boundary.
import type { EnergyBoundary, EnergyMethod, PowerSourceId } from '../power/types';

export interface EnergyLabelParts {
  source: PowerSourceId | string;
  boundary: EnergyBoundary | string;
  method: EnergyMethod | string;
}

const SOURCE_NAMES: Record<string, string> = {
  rapl: 'RAPL',
  nvidia: 'NVIDIA',
  amdgpu: 'amdgpu',
  apple: 'powermetrics',
  battery: 'battery',
  estimate: 'estimate',
};

const METHOD_WORDS: Record<string, string> = {
  counter: 'counter',
  'integrated-power': 'integrated power',
  modelled: 'model',
};

/**
 * "measured: RAPL counter, cpu-package", "measured: NVIDIA integrated power, gpu-board",
 * "estimate: CodeCarbon CPU-load model (TDP 65 W), cpu-package". `sourceLabel` replaces the
 * generated name: for an estimate it is the model (PowerDomain.model).
 */
export function formatEnergyLabel(parts: EnergyLabelParts, sourceLabel?: string): string {
  const estimate = parts.method === 'modelled' || parts.source === 'estimate';
  if (estimate) return `estimate: ${sourceLabel ?? 'modelled'}, ${parts.boundary}`;
  const name = sourceLabel ?? `${SOURCE_NAMES[parts.source] ?? parts.source} ${METHOD_WORDS[parts.method] ?? parts.method}`;
  return `measured: ${name}, ${parts.boundary}`;
}

/** The labels of the figures a total is made of, each once, joined by " + ". */
export function formatTotalLabel(sources: Array<EnergyLabelParts & { countsTowardTotal: boolean; model?: string | null }>): string {
  const labels: string[] = [];
  for (const s of sources) {
    if (!s.countsTowardTotal) continue;
    const label = formatEnergyLabel(s, s.model ?? undefined);
    if (!labels.includes(label)) labels.push(label);
  }
  return labels.length ? labels.join(' + ') : 'no energy source';
}

/** The estimate's model as an energy row's note names it ("…; estimate: CodeCarbon CPU-load model (TDP 65 W)"). */
export function estimateModelFromNote(note: string | null): string | null {
  const part = note?.split('; ').find((p) => p.startsWith('estimate: '));
  return part ? part.slice('estimate: '.length) : null;
}

/** The label of a total made of stored energy rows (all counted), e.g. "measured: RAPL counter, cpu-package". */
export function formatStoredRowsLabel(rows: Array<EnergyLabelParts & { note: string | null }>): string {
  return formatTotalLabel(rows.map((r) => ({ ...r, countsTowardTotal: true, model: estimateModelFromNote(r.note) })));
}
