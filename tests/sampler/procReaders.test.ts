import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { parseCpuTimes, cpuUtilisation, parseKbField } from '../../lib/sampler/procReaders';
import { createSampler, type SamplerState } from '../../lib/sampler/createSampler';
import type { PowerSource } from '../../lib/power/types';
import { makeTempDir } from '../helpers/paths';
import { waitFor } from '../helpers/waitFor';

describe('/proc parsing', () => {
  it('reads the cpu line of /proc/stat and derives utilisation from two readings', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const a = parseCpuTimes('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n');
    const b = parseCpuTimes('cpu  250 0 100 900 50 0 0 0 0 0\ncpu0 1 2 3\n');
    expect(a).toEqual({ idle: 850, total: 1000 });
    expect(b).toEqual({ idle: 950, total: 1300 });
    // Δtotal 300, Δidle 100: utilisation 1 − 100/300 = 2/3.
    expect(cpuUtilisation(a!, b!)).toBeCloseTo(2 / 3, 12);
    expect(cpuUtilisation(a!, a!)).toBeNull();
  });

  it('reads kB fields of /proc/meminfo and /proc/self/status as bytes', () => {
    const meminfo = 'MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   20000000 kB\n';
    expect(parseKbField(meminfo, 'MemTotal')).toBe(24576000 * 1024);
    expect(parseKbField(meminfo, 'MemAvailable')).toBe(20000000 * 1024);
    expect(parseKbField('VmHWM:\t  185000 kB\nVmRSS:\t  180000 kB\n', 'VmRSS')).toBe(180000 * 1024);
    expect(parseKbField(meminfo, 'Nope')).toBeNull();
  });
});

describe('createSampler', () => {
  it('samples this machine for real at the requested rate, with the state the benchmark reports', async () => {
    const state: SamplerState = { phase: 'measure', promptIndex: 0, tokensGenerated: 0 };
    const sampler = createSampler({ intervalMs: 20, getState: () => state });
    sampler.start();
    // Each step of the benchmark's state is seen by a timed tick before the next (no fixed sleep: wait for the tick).
    for (let i = 0; i < 5; i++) {
      state.tokensGenerated += 10;
      await waitFor(`a tick at ${state.tokensGenerated} tokens`, () => sampler.all.some((s) => s.tokensGenerated === state.tokensGenerated));
    }
    sampler.stop();
    const all = sampler.all;
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const s of all) {
      expect(s.cpuPercent).not.toBeNull();
      expect(s.cpuPercent!).toBeGreaterThanOrEqual(0);
      expect(s.cpuPercent!).toBeLessThanOrEqual(100);
      expect(s.rssBytes!).toBeGreaterThan(0);
      expect(s.memUsedBytes!).toBeGreaterThan(0);
      expect(s.powerW).toBeNull();
    }
    expect(all[all.length - 1].tokensGenerated).toBe(50);
    expect(all.map((s) => s.t)).toEqual([...all.map((s) => s.t)].sort((x, y) => x - y));
    // drain hands each sample out once.
    expect(sampler.drain()).toHaveLength(all.length);
    expect(sampler.drain()).toHaveLength(0);
    expect(sampler.peakRssBytes()!).toBeGreaterThanOrEqual(all[0].rssBytes!);
  });

  it('reads a fixture /proc tree byte for byte like the real one', async () => {
    const root = makeTempDir('proc');
    fs.mkdirSync(path.join(root, 'proc', 'self'), { recursive: true });
    fs.writeFileSync(path.join(root, 'proc', 'stat'), 'cpu  100 0 50 800 50 0 0 0 0 0\n');
    fs.writeFileSync(path.join(root, 'proc', 'meminfo'), 'MemTotal:        2048 kB\nMemAvailable:     512 kB\n');
    fs.writeFileSync(path.join(root, 'proc', 'self', 'status'), 'VmHWM:\t     300 kB\nVmRSS:\t     256 kB\n');
    const sampler = createSampler({ intervalMs: 10, root, getState: () => ({ phase: 'idle', promptIndex: null, tokensGenerated: 0 }) });
    sampler.start();
    fs.writeFileSync(path.join(root, 'proc', 'stat'), 'cpu  250 0 100 900 50 0 0 0 0 0\n');
    await waitFor('a timed tick', () => sampler.all.length > 0);
    sampler.stop();
    const first = sampler.all[0];
    expect(first.cpuPercent).toBeCloseTo((2 / 3) * 100, 9);
    expect(first.memUsedBytes).toBe((2048 - 512) * 1024);
    expect(first.rssBytes).toBe(256 * 1024);
    expect(sampler.peakRssBytes()).toBe(300 * 1024);
  });

  it('falls back to Node\'s own figures where /proc is absent (macOS, Windows): an empty root still yields CPU, memory and RSS', async () => {
    const root = makeTempDir('noproc');
    const sampler = createSampler({ intervalMs: 10, root, getState: () => ({ phase: 'measure', promptIndex: 0, tokensGenerated: 0 }) });
    sampler.start();
    // Wait for a tick whose interval os.cpus() times have advanced over (no fixed sleep: yield until it exists).
    await waitFor('a tick with a CPU figure', () => sampler.all.some((s) => s.cpuPercent !== null), { everyMs: 5 });
    sampler.stop();
    const peak = sampler.peakRssBytes();
    expect(peak).not.toBeNull();
    expect(peak!).toBeLessThanOrEqual(os.totalmem());
    for (const s of sampler.all) {
      if (s.cpuPercent !== null) {
        expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
        expect(s.cpuPercent).toBeLessThanOrEqual(100);
      }
      expect(s.processCpuPercent ?? 0).toBeGreaterThanOrEqual(0);
      expect(s.processCpuPercent ?? 0).toBeLessThanOrEqual(100);
      expect(s.memUsedBytes!).toBeGreaterThan(0);
      expect(s.memUsedBytes!).toBeLessThanOrEqual(os.totalmem());
      expect(s.rssBytes!).toBeGreaterThan(0);
      // ru_maxrss is the peak of the same resident set process.memoryUsage() reports.
      expect(s.rssBytes!).toBeLessThanOrEqual(peak!);
    }
  });

  it('takes a sample at a window boundary on demand: counters read there, this process\'s CPU time, no /proc/stat', async () => {
    const times: number[] = [];
    const counter: PowerSource = {
      id: 'rapl',
      label: 'fixture counter',
      domains: [],
      failed: false,
      async start() {},
      read(ctx) {
        times.push(ctx.nowMs);
        return [];
      },
      async stop() {},
    };
    const sampler = createSampler({ intervalMs: 10_000, getState: () => ({ phase: 'measure', promptIndex: 0, tokensGenerated: 0 }), powerSources: [counter] });
    sampler.mark(Date.now());
    expect(sampler.all).toHaveLength(0); // not started: nothing
    sampler.start();
    // Some work of this process before the boundary.
    const until = Date.now() + 5;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const edge = Date.now();
    sampler.mark(edge);
    sampler.mark(edge); // the boundary already is a sample time
    sampler.mark(edge - 1); // never before the latest sample
    sampler.stop();
    const marks = sampler.all.filter((s) => s.t === edge);
    expect(marks).toHaveLength(1);
    expect(times[0]).toBe(edge);
    expect(marks[0].cpuPercent).toBeNull();
    expect(marks[0].processCpuPercent!).toBeGreaterThan(0);
    expect(marks[0].processCpuPercent!).toBeLessThanOrEqual(100);
    expect(x).toBeGreaterThan(0);
  });
});
