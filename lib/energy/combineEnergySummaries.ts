// Adds the energy of several windows (the measured repetitions of a run) into one summary, so that a run's
// joules per token divide measured energy by measured tokens, without warm-ups or pauses in between.
import { phaseFigures, type EnergySummary, type SourceEnergy } from './summarizeEnergy';

export function combineEnergySummaries(parts: readonly EnergySummary[], outputTokens: number): EnergySummary | null {
  if (parts.length === 0) return null;
  const bySource = new Map<string, SourceEnergy[]>();
  for (const part of parts) for (const s of part.sources) bySource.set(`${s.source}\u0000${s.domain}`, [...(bySource.get(`${s.source}\u0000${s.domain}`) ?? []), s]);
  const sources: SourceEnergy[] = [...bySource.values()].map((list) => {
    const joules = sum(list.map((s) => s.joules));
    const coveredMs = sum(list.map((s) => s.coveredMs));
    const notes = [...new Set(list.map((s) => s.note).filter((n): n is string => n !== null))];
    return {
      ...list[0],
      joules,
      netJoules: list.every((s) => s.netJoules !== null) ? sum(list.map((s) => s.netJoules ?? 0)) : null,
      meanW: coveredMs > 0 ? joules / (coveredMs / 1000) : 0,
      peakW: Math.max(...list.map((s) => s.peakW)),
      coveredMs,
      partial: list.some((s) => s.partial) || list.length < parts.length,
      note: notes.length ? notes.join('; ') : null,
      windowing: list.every((s) => s.windowing === 'edges') ? 'edges' : 'pro-rata',
      prefillJoules: sumOrNull(list.map((s) => s.prefillJoules)),
      decodeJoules: sumOrNull(list.map((s) => s.decodeJoules)),
    };
  });
  const totalJ = sum(parts.map((p) => p.totalJ));
  const durationMs = sum(parts.map((p) => p.durationMs));
  const joulesPerToken = outputTokens > 0 ? totalJ / outputTokens : null;
  const bases = new Set(parts.map((p) => p.basis).filter((b) => b !== 'none'));
  return {
    totalJ,
    netJ: parts.every((p) => p.netJ !== null) ? sum(parts.map((p) => p.netJ ?? 0)) : null,
    idleW: parts[0].idleW,
    meanW: durationMs > 0 ? totalJ / (durationMs / 1000) : 0,
    peakW: Math.max(...parts.map((p) => p.peakW)),
    joulesPerToken,
    whPer1kTokens: joulesPerToken === null ? null : (joulesPerToken * 1000) / 3600,
    durationMs,
    partial: parts.some((p) => p.partial),
    basis: bases.size === 0 ? 'none' : bases.size > 1 || bases.has('mixed') ? 'mixed' : [...bases][0],
    sources,
    notes: [...new Set(parts.flatMap((p) => p.notes))],
    ...phaseFigures(
      sumOrNull(parts.map((p) => p.prefillJ)),
      sumOrNull(parts.map((p) => p.decodeJ)),
      sumOrNull(parts.map((p) => p.promptTokens)),
      sumOrNull(parts.map((p) => p.decodeTokens)),
    ),
  };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** The sum, or null when any part is null (a figure of part of the repetitions is not the run's). */
function sumOrNull(xs: ReadonlyArray<number | null>): number | null {
  return xs.every((x): x is number => x !== null) ? sum(xs) : null;
}
