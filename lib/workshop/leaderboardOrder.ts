// The leaderboard's one ordering rule, shared by the workshop page and `wattbench join` (where a result would rank
// before it is published): speed highest first, energy per token and per correct answer lowest first, entries
// without the figure last. No Node imports: the page's browser bundle uses it too.

export type LeaderboardKey = 'tps' | 'jPerToken' | 'jPerCorrect';

export interface RankedFigures {
  genTokensPerSec: number | null;
  joulesPerToken: number | null;
  joulesPerCorrect: number | null;
}

function figure(e: RankedFigures, key: LeaderboardKey): number | null {
  return key === 'tps' ? e.genTokensPerSec : key === 'jPerToken' ? e.joulesPerToken : e.joulesPerCorrect;
}

/** Negative when `a` ranks before `b`. */
export function compareEntries(a: RankedFigures, b: RankedFigures, key: LeaderboardKey): number {
  const va = figure(a, key);
  const vb = figure(b, key);
  if (va === null || vb === null) return va === null ? (vb === null ? 0 : 1) : -1;
  return key === 'tps' ? vb - va : va - vb;
}

export function sortEntries<T extends RankedFigures>(entries: readonly T[], key: LeaderboardKey): T[] {
  return [...entries].sort((a, b) => compareEntries(a, b, key));
}

/** The 1-based place `candidate` would take among `entries` (ties: after those already there); null without the figure. */
export function rankAmong(entries: readonly RankedFigures[], candidate: RankedFigures, key: LeaderboardKey): number | null {
  if (figure(candidate, key) === null) return null;
  return entries.filter((e) => compareEntries(e, candidate, key) <= 0 && figure(e, key) !== null).length + 1;
}
