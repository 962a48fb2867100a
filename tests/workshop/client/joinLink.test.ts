import { describe, expect, it } from 'vitest';
import { parseJoinLink } from '../../../lib/workshop/client/joinLink';
import { rankAmong } from '../../../lib/workshop/client/rankAmong';

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

describe('rankAmong', () => {
  it('counts the room runs faster than this one', () => {
    const board = { leaderboard: [{ genTokensPerSec: 900 }, { genTokensPerSec: 300 }, { genTokensPerSec: null }] };
    expect(rankAmong(board, 500)).toEqual({ position: 2, of: 3 });
    expect(rankAmong({ leaderboard: [] }, 500)).toEqual({ position: 1, of: 1 });
    expect(rankAmong(null, 500)).toBeNull();
    expect(rankAmong(board, null)).toBeNull();
  });
});
