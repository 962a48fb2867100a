// Where a participant's run would rank in the room, by generation speed, before it is published: from the
// leader's `/leaderboard` answer (whose fields are the leader's; read defensively, a version mismatch only hides
// the line).

const SPEED_FIELDS = ['genTokensPerSec', 'tokensPerSec', 'tokPerSec'] as const;

function speedOf(entry: unknown): number | null {
  if (typeof entry !== 'object' || entry === null) return null;
  for (const field of SPEED_FIELDS) {
    const value = (entry as Record<string, unknown>)[field];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

/** 1-based position among the room's runs with a speed, counting this one; null when either side lacks a speed. */
export function rankAmong(board: unknown, tokensPerSec: number | null): { position: number; of: number } | null {
  if (tokensPerSec === null || typeof board !== 'object' || board === null) return null;
  const rows = (board as { leaderboard?: unknown }).leaderboard;
  if (!Array.isArray(rows)) return null;
  const speeds = rows.map(speedOf).filter((s): s is number => s !== null);
  return { position: 1 + speeds.filter((s) => s > tokensPerSec).length, of: speeds.length + 1 };
}
