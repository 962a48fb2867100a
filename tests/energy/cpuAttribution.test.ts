// Whose CPU work the measured windows saw: time-weighted means by hand, and when the run warns.
import { describe, expect, it } from 'vitest';
import { OTHERS_CPU_NOTABLE_PERCENT, othersLoadWarning, summarizeCpuLoad, type CpuLoadSample } from '../../lib/energy/cpuAttribution';

const s = (t: number, cpuPercent: number | null, processCpuPercent: number | null): CpuLoadSample => ({ t, cpuPercent, processCpuPercent });

describe('summarizeCpuLoad', () => {
  // Timed samples every 100 ms; a mark at 1250 (machine load not read there: it is in the sample at 1300).
  const samples = [s(1000, 20, 10), s(1100, 80, 50), s(1200, 60, 50), s(1250, null, 40), s(1300, 100, 30), s(1400, 10, 10)];

  it('weights each value by the part of its interval inside the windows', () => {
    const load = summarizeCpuLoad(samples, [{ startMs: 1150, endMs: 1350 }])!;
    // Machine: (1100,1200] 50 ms at 60 % + (1200,1300] 100 ms at 100 % + (1300,1400] 50 ms at 10 % → 67.5 %.
    expect(load.machinePercent).toBeCloseTo((50 * 60 + 100 * 100 + 50 * 10) / 200, 12);
    // Process: 50 ms at 50 % + 50 ms at 40 % + 50 ms at 30 % + 50 ms at 10 % → 32.5 %.
    expect(load.processPercent).toBeCloseTo((50 * 50 + 50 * 40 + 50 * 30 + 50 * 10) / 200, 12);
    expect(load.othersPercent).toBeCloseTo(67.5 - 32.5, 12);
    expect(load.coveredMs).toBe(200);
  });

  it('adds several windows, skips the time between them, and never reports negative others', () => {
    const load = summarizeCpuLoad([s(0, 10, 5), s(100, 10, 30), s(200, 50, 10), s(300, 50, 10)], [
      { startMs: 0, endMs: 100 },
      { startMs: 200, endMs: 300 },
    ])!;
    expect(load.machinePercent).toBeCloseTo(30, 12);
    expect(load.processPercent).toBeCloseTo(20, 12);
    const own = summarizeCpuLoad([s(0, 10, 5), s(100, 10, 30)], [{ startMs: 0, endMs: 100 }])!;
    expect(own.othersPercent).toBe(0);
  });

  it('is null when no sample covers the windows', () => {
    expect(summarizeCpuLoad(samples, [{ startMs: 5000, endMs: 6000 }])).toBeNull();
    expect(summarizeCpuLoad([], [{ startMs: 0, endMs: 1 }])).toBeNull();
  });
});

describe('othersLoadWarning', () => {
  const load = (othersPercent: number) => ({ machinePercent: 50 + othersPercent, processPercent: 50, othersPercent, coveredMs: 1000 });

  it('warns from the notable share on, naming the sources that measure everyone', () => {
    expect(othersLoadWarning(load(OTHERS_CPU_NOTABLE_PERCENT - 0.1), [{ source: 'rapl', method: 'counter' }])).toBeNull();
    const w = othersLoadWarning(load(25), [
      { source: 'rapl', method: 'counter' },
      { source: 'nvidia', method: 'counter' },
    ])!;
    expect(w).toMatchObject({ othersPercent: 25, thresholdPercent: 10, includedBy: ['rapl', 'nvidia'], estimateAttributed: false });
    expect(w.message).toBe(
      'other processes used 25 % of the CPU during the measured repetitions (this run 50 %, whole machine 75 %); rapl, nvidia measure the whole device, so these figures include their work; timings may be slower than on an otherwise idle machine',
    );
  });

  it('says the estimate is attributed, and is silent without a load record', () => {
    const w = othersLoadWarning(load(40), [{ source: 'estimate', method: 'modelled' }])!;
    expect(w).toMatchObject({ includedBy: [], estimateAttributed: true });
    expect(w.message).toContain("the estimate's CPU part is attributed by this process's CPU time");
    expect(othersLoadWarning(null, [])).toBeNull();
  });
});
