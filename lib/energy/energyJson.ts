// The `energy` object of `--json`: the fields, plus per-figure detail (with the estimate's model).
import type { EnergySummary } from './summarizeEnergy';
import type { CpuLoad, OthersLoadWarning } from './cpuAttribution';
import type { EnergyJson } from '../domain/jsonColumns';

/** Its shape is the stored summary's schema (lib/domain/jsonColumns). */
export type { EnergyJson };

export function energyJson(summary: EnergySummary, cpu: { load: CpuLoad | null; warning: OthersLoadWarning | null } = { load: null, warning: null }): EnergyJson {
  return {
    totalJ: summary.totalJ,
    netJ: summary.netJ,
    idleW: summary.idleW,
    meanW: summary.meanW,
    joulesPerToken: summary.joulesPerToken,
    whPer1kTokens: summary.whPer1kTokens,
    prefillJ: summary.prefillJ,
    decodeJ: summary.decodeJ,
    prefillJPerPromptToken: summary.prefillJPerPromptToken,
    decodeJPerToken: summary.decodeJPerToken,
    promptTokens: summary.promptTokens,
    decodeTokens: summary.decodeTokens,
    cpuLoad: cpu.load,
    othersLoadWarning: cpu.warning,
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
      windowing: s.windowing,
      prefillJoules: s.prefillJoules,
      decodeJoules: s.decodeJoules,
      estimateModel: s.model,
    })),
    peakW: summary.peakW,
    durationMs: summary.durationMs,
    partial: summary.partial,
    basis: summary.basis,
  };
}
