// The leaderboard's order and where a participant's result would rank before it is published.
import { describe, expect, it } from 'vitest';
import { rankAmong, sortEntries } from '../../lib/workshop/leaderboardOrder';

const entry = (name: string, genTokensPerSec: number | null, joulesPerToken: number | null, joulesPerCorrect: number | null) => ({ name, genTokensPerSec, joulesPerToken, joulesPerCorrect });
const board = [entry('a', 30, 0.5, null), entry('b', 50, 0.9, 12), entry('c', null, null, null), entry('d', 40, 0.2, 8)];

describe('leaderboard order', () => {
  it('puts the fastest first, the most frugal first, and entries without the figure last', () => {
    expect(sortEntries(board, 'tps').map((e) => e.name)).toEqual(['b', 'd', 'a', 'c']);
    expect(sortEntries(board, 'jPerToken').map((e) => e.name)).toEqual(['d', 'a', 'b', 'c']);
    expect(sortEntries(board, 'jPerCorrect').map((e) => e.name)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('says where an unpublished result would rank', () => {
    expect(rankAmong(board, entry('me', 45, 0.3, 20), 'tps')).toBe(2);
    expect(rankAmong(board, entry('me', 45, 0.3, 20), 'jPerToken')).toBe(2);
    expect(rankAmong(board, entry('me', 45, 0.3, 20), 'jPerCorrect')).toBe(3);
    expect(rankAmong(board, entry('me', 10, 0.3, null), 'jPerCorrect')).toBeNull();
    expect(rankAmong([], entry('me', 10, 0.3, null), 'tps')).toBe(1);
  });
});
