// The watched processes' CPU time and memory from /proc/<pid>: a real busy child, then the same child gone.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createProcessProbe, parsePidStat } from '../../lib/monitor/processProbe';
import { waitFor } from '../helpers/waitFor';

describe('parsePidStat', () => {
  it('reads utime + stime after a command name holding spaces and parentheses', () => {
    // Fields 3.. of a real line; utime 250 and stime 50 ticks (USER_HZ 100) = 3 s.
    const line = '4242 (my (odd) name) R 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0 12345 1000000 200 18446744073709551615';
    expect(parsePidStat(line)).toEqual({ cpuUs: 3_000_000, state: 'R' });
    expect(parsePidStat('garbage')).toBeNull();
  });
});

describe('createProcessProbe', () => {
  it('sums a running process CPU time, keeps its last figure once it exits, and says it is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    const probe = createProcessProbe([child.pid!]);
    try {
      expect(probe.alive()).toEqual([child.pid]);
      const first = probe.cpuTimeUs()!;
      // It spins: its CPU time grows (a jiffy is 10 ms).
      const later = await waitFor('the child to use CPU time', () => {
        const now = probe.cpuTimeUs()!;
        return now > first && now;
      });
      expect(probe.rssBytes()).toBeGreaterThan(1024 * 1024);
      child.kill('SIGKILL');
      await waitFor('the child to be gone', () => probe.alive().length === 0);
      expect(probe.cpuTimeUs()).toBeGreaterThanOrEqual(later);
      expect(probe.rssBytes()).toBeNull();
    } finally {
      probe.close();
      child.kill('SIGKILL');
    }
  });
});
