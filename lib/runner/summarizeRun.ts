// Per-run and per-prompt statistics from the measured repetitions (the same function for a live run and a stored one).
import { summarize } from '../stats/summarize';
import type { PromptSummary, RepetitionResult, RunMetrics, RunSummaryJson } from './types';
import type { EnergyJson } from '../energy/energyJson';

type ResultLike = Pick<
  RepetitionResult,
  'promptId' | 'promptIndex' | 'promptTokens' | 'outputTokens' | 'ttftMs' | 'promptTokensPerSec' | 'genTokensPerSec' | 'interTokenP50Ms' | 'e2eMs' | 'energyJ'
>;

export function metricsOf(rs: readonly ResultLike[]): RunMetrics {
  return {
    ttftMs: summarize(rs.map((r) => r.ttftMs)),
    promptTokensPerSec: summarize(rs.map((r) => r.promptTokensPerSec)),
    genTokensPerSec: summarize(rs.map((r) => r.genTokensPerSec)),
    // Per repetition, the median gap between tokens; summarised across repetitions.
    interTokenMs: summarize(rs.map((r) => r.interTokenP50Ms)),
    e2eMs: summarize(rs.map((r) => r.e2eMs)),
  };
}

export function summarizeRun(rs: readonly ResultLike[], titles: ReadonlyMap<string, string> = new Map(), energy: EnergyJson | null = null): RunSummaryJson {
  const byPrompt = new Map<number, ResultLike[]>();
  for (const r of rs) byPrompt.set(r.promptIndex, [...(byPrompt.get(r.promptIndex) ?? []), r]);
  const prompts: PromptSummary[] = [...byPrompt.entries()]
    .sort(([a], [b]) => a - b)
    .map(([promptIndex, list]) => ({
      promptId: list[0].promptId,
      promptIndex,
      title: titles.get(list[0].promptId) ?? list[0].promptId,
      metrics: metricsOf(list),
      promptTokens: list[0].promptTokens,
      outputTokens: summarize(list.map((r) => r.outputTokens)),
      energyJ: summarize(list.map((r) => r.energyJ)),
    }));
  return {
    metrics: metricsOf(rs),
    prompts,
    totalOutputTokens: rs.reduce((a, r) => a + r.outputTokens, 0),
    totalPromptTokens: rs.reduce((a, r) => a + r.promptTokens, 0),
    energy,
  };
}
