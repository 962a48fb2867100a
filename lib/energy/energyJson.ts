// The `energy` object of `--json`: the fields, plus per-figure detail.
import type { EnergySummary } from './summarizeEnergy';

export interface EnergyJson {
  totalJ: number;
  netJ: number | null;
  idleW: number | null;
  meanW: number;
  joulesPerToken: number | null;
  whPer1kTokens: number | null;
  sources: Array<{
    source: string;
    boundary: string;
    method: string;
    joules: number;
    domain: string;
    label: string;
    countsTowardTotal: boolean;
    netJoules: number | null;
    meanW: number;
    peakW: number;
    partial: boolean;
    note: string | null;
  }>;
  peakW: number;
  durationMs: number;
  partial: boolean;
  basis: EnergySummary['basis'];
}

export function energyJson(summary: EnergySummary): EnergyJson {
  return {
    totalJ: summary.totalJ,
    netJ: summary.netJ,
    idleW: summary.idleW,
    meanW: summary.meanW,
    joulesPerToken: summary.joulesPerToken,
    whPer1kTokens: summary.whPer1kTokens,
    sources: summary.sources.map((s) => ({
      source: s.source,
      boundary: s.boundary,
      method: s.method,
      joules: s.joules,
      domain: s.domain,
      label: s.label,
      countsTowardTotal: s.countsTowardTotal,
      netJoules: s.netJoules,
      meanW: s.meanW,
      peakW: s.peakW,
      partial: s.partial,
      note: s.note,
    })),
    peakW: summary.peakW,
    durationMs: summary.durationMs,
    partial: summary.partial,
    basis: summary.basis,
  };
}
