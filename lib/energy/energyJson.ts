// The `energy` object of `--json`: the fields, plus per-figure detail.
import type { EnergySummary } from './summarizeEnergy';
import type { CpuLoad, OthersLoadWarning } from './cpuAttribution';

export interface EnergyJson {
  totalJ: number;
  netJ: number | null;
  idleW: number | null;
  meanW: number;
  /** Whole repetitions / output tokens. */
  joulesPerToken: number | null;
  whPer1kTokens: number | null;
  /** Prompt processing, (start, first token], and generation after it, (first token, end], counted joules. */
  prefillJ: number | null;
  decodeJ: number | null;
  /** prefillJ / prompt tokens. */
  prefillJPerPromptToken: number | null;
  /** decodeJ / tokens generated after the first (the first comes with prompt processing, as in TTFT). */
  decodeJPerToken: number | null;
  promptTokens: number | null;
  decodeTokens: number | null;
  /** Machine, this process and other processes' CPU use over the measured repetitions (null: not sampled). */
  cpuLoad: CpuLoad | null;
  /** Set when other processes used a notable share of the CPU (cpuAttribution.ts). */
  othersLoadWarning: OthersLoadWarning | null;
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
    /** "edges": counters read at each window boundary; "pro-rata": readings shared by time across an edge. */
    windowing: string;
    prefillJoules: number | null;
    decodeJoules: number | null;
  }>;
  peakW: number;
  durationMs: number;
  partial: boolean;
  basis: EnergySummary['basis'];
}

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
    })),
    peakW: summary.peakW,
    durationMs: summary.durationMs,
    partial: summary.partial,
    basis: summary.basis,
  };
}
