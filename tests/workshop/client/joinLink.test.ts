import { describe, expect, it } from 'vitest';
import { parseJoinLink } from '../../../lib/workshop/client/joinLink';
import { rankInRoom } from '../../../lib/workshop/client/rankInRoom';

const TOKEN = 'a'.repeat(43);

describe('parseJoinLink', () => {
  it('reads the origin, the code and the token from the fragment', () => {
    expect(parseJoinLink(`http://192.168.1.20:3000/abc234#${TOKEN}`)).toEqual({ origin: 'http://192.168.1.20:3000', code: 'ABC234', token: TOKEN });
    expect(parseJoinLink('http://[fd00::1]:3000/ABC234', 'b'.repeat(43))).toEqual({ origin: 'http://[fd00::1]:3000', code: 'ABC234', token: 'b'.repeat(43) });
    expect(parseJoinLink('http://leader:3000/ABC234').token).toBeNull();
  });

  it('refuses what is not a join link in one line naming the fix', () => {
    expect(() => parseJoinLink('leader:3000')).toThrow(/must start with http/);
    expect(() => parseJoinLink('nonsense')).toThrow(/not a join link/);
    expect(() => parseJoinLink('http://leader:3000/')).toThrow(/6-character code/);
    expect(() => parseJoinLink('http://leader:3000/ABC10O')).toThrow(/6-character code/); // 0, 1 and O are not in the alphabet
    expect(() => parseJoinLink('http://leader:3000/ABC234#short')).toThrow(/token is malformed/);
  });
});

describe('rankInRoom', () => {
  it('places the run by each figure it has, among the room entries that have it', () => {
    const board = { leaderboard: [
      { genTokensPerSec: 900, joulesPerToken: 0.5, joulesPerCorrect: null },
      { genTokensPerSec: 300, joulesPerToken: 0.1, joulesPerCorrect: 2 },
      { genTokensPerSec: null, joulesPerToken: null, joulesPerCorrect: null },
    ] };
    expect(rankInRoom(board, { genTokensPerSec: 500, joulesPerToken: 0.2, joulesPerCorrect: null })).toEqual([
      { key: 'tps', position: 2, of: 3 },
      { key: 'jPerToken', position: 2, of: 3 },
    ]);
    expect(rankInRoom({ leaderboard: [] }, { genTokensPerSec: 500, joulesPerToken: null, joulesPerCorrect: 1 })).toEqual([
      { key: 'tps', position: 1, of: 1 },
      { key: 'jPerCorrect', position: 1, of: 1 },
    ]);
    expect(rankInRoom(null, { genTokensPerSec: 500, joulesPerToken: null, joulesPerCorrect: null })).toEqual([]);
  });
});
