// Where a participant's run would rank in the room before it is published: its figures computed as the leader's
// board computes them (the same record functions), placed by the board's one ordering rule
// (lib/workshop/leaderboardOrder) among the entries of the leader's `/leaderboard` answer.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { runs } from '../../db/schema';
import type { Db } from '../../db/openDb';
import { getRunFootprintInput } from '../../records/getRunFootprintInput';
import { qualityByRun } from '../../records/qualityByRun';
import { rankAmong, type LeaderboardKey, type RankedFigures } from '../leaderboardOrder';

const figure = z.number().finite().nullable().catch(null);
const boardSchema = z.object({ leaderboard: z.array(z.object({ genTokensPerSec: figure, joulesPerToken: figure, joulesPerCorrect: figure })) });

/** A local run's figures as the board shows them: mean generation tok/s, counted joules per output token and per correct answer. */
export function runFigures(db: Db, runId: number): RankedFigures | null {
  const fp = getRunFootprintInput(db, runId, 'en');
  if (!fp) return null;
  const q = qualityByRun(db, [runId]).get(runId);
  const run = db.select({ genTokensPerSec: runs.genTokensPerSec }).from(runs).where(eq(runs.id, runId)).get();
  return {
    genTokensPerSec: run?.genTokensPerSec ?? null,
    joulesPerToken: fp.local && fp.outputTokens > 0 ? fp.local.joules / fp.outputTokens : null,
    joulesPerCorrect: q?.joulesPerCorrect ?? null,
  };
}

export interface RoomRank {
  key: LeaderboardKey;
  /** 1-based place among the room's entries with the figure, this run counted. */
  position: number;
  of: number;
}

/** The place for each figure the run has; empty when the board is unreadable (another version, the leader away). */
export function rankInRoom(board: unknown, candidate: RankedFigures): RoomRank[] {
  const parsed = boardSchema.safeParse(board);
  if (!parsed.success) return [];
  const entries = parsed.data.leaderboard;
  const ranks: RoomRank[] = [];
  for (const key of ['tps', 'jPerToken', 'jPerCorrect'] as const) {
    const position = rankAmong(entries, candidate, key);
    if (position === null) continue;
    const withFigure = entries.filter((e) => (key === 'tps' ? e.genTokensPerSec : key === 'jPerToken' ? e.joulesPerToken : e.joulesPerCorrect) !== null).length;
    ranks.push({ key, position, of: withFigure + 1 });
  }
  return ranks;
}
