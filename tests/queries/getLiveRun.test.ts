import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLiveRun } from '../../lib/queries/getLiveRun';
import { addHardware, addModel, addResult, addRun, addSamples, makeDb } from './fixtureDb';
import { processStartTicks } from '../../lib/db/processIdentity';

const fx = makeDb('live');
const { db } = fx;
const NOW = 1_700_000_100_000;
let live = 0;
let newerDone = 0;

beforeAll(() => {
  const here = addHardware(db, { hostname: os.hostname() });
  const model = addModel(db, { name: 'stories260K' });
  // A run of this very process: alive. A newer completed run must not hide it.
  live = addRun(db, model, here, {
    status: 'running',
    pid: process.pid,
    pidStartTicks: processStartTicks(process.pid),
    startedAt: NOW - 30_000,
    endedAt: null,
    reps: 4,
    settings: { promptCount: 3 },
  });
  newerDone = addRun(db, model, here, { startedAt: NOW - 1000, endedAt: NOW - 500, genTokensPerSec: 1500, joulesPerToken: 0.01, energySource: 'rapl' });
  for (let i = 0; i < 5; i++) addResult(db, live, { rep: i });
  const rows = [];
  for (let i = 0; i <= 200; i++) {
    rows.push({
      runId: live,
      t: NOW - 20_000 + i * 100,
      phase: 'measure',
      promptIndex: 1,
      cpuPercent: 88,
      tokensGenerated: i * 50, // 500 tokens/s
      powerW: 12.5,
      power: [{ source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', watts: 12.5 }],
    });
  }
  addSamples(db, rows);
});
afterAll(() => fx.cleanup());

describe('getLiveRun', () => {
  it('follows the run in progress', () => {
    const l = getLiveRun(db, null, NOW)!;
    expect(l.runId).toBe(live);
    expect(l.status).toBe('running');
    expect(l.progress).toEqual({ done: 5, total: 12 });
    expect(l.tokensGenerated).toBe(10_000);
    expect(l.tokensPerSec).toBeCloseTo(500, 6);
    expect(l.powerW).toBe(12.5);
    expect(l.powerReadings[0]).toMatchObject({ source: 'rapl', boundary: 'cpu-package' });
    expect(l.cpuPercent).toBe(88);
    expect(l.phase).toBe('measure');
    expect(l.elapsedMs).toBe(30_000);
    expect(l.sampleAgeMs).toBe(0);
  });

  it('keeps the last 60 s, thinned to 5 points a second, relative to the latest sample', () => {
    const l = getLiveRun(db, null, NOW)!;
    expect(l.recent.length).toBe(101);
    expect(l.recent[0].x).toBe(-20);
    expect(l.recent[l.recent.length - 1].x).toBe(0);
    expect(l.recent[50].tokensPerSec).toBeCloseTo(500, 6);
  });

  it('shows a chosen run, finished ones without live figures', () => {
    const l = getLiveRun(db, newerDone, NOW)!;
    expect(l).toMatchObject({ runId: newerDone, status: 'completed', tokensPerSec: null, powerW: null, genTokensPerSec: 1500, progress: { done: 0, total: null } });
    expect(getLiveRun(db, 999, NOW)).toBeNull();
  });

  it('falls back to the newest run when nothing runs, and to null on an empty database', () => {
    db.$client.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?").run(live);
    expect(getLiveRun(db, null, NOW)!.runId).toBe(newerDone);
    db.$client.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(live);
    const empty = makeDb('live-empty');
    expect(getLiveRun(empty.db, null)).toBeNull();
    empty.cleanup();
  });
});
