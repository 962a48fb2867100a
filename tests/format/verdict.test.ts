import { describe, expect, it } from 'vitest';
import { buildVerdict, type VerdictItem } from '../../lib/format/verdict';

const NBSP = '\u00a0';
const item = (label: string, genTps: number | null, jpt: number | null, energySource: string | null = 'rapl'): VerdictItem => ({ label, genTps, jpt, energySource });

describe('buildVerdict', () => {
  it('says how much faster and how much less energy, in plain words', () => {
    expect(buildVerdict([item('Y', 10, 0.5), item('X', 23, 0.3)], 'en', { sameMachine: true })).toEqual([
      'On this machine, X answers 2.3× faster than Y for 40% less energy.',
    ]);
    expect(buildVerdict([item('Y', 10, 0.5), item('X', 23, 0.3)], 'fr', { sameMachine: true })).toEqual([
      `Sur cette machine, X répond 2,3× plus vite que Y pour 40${NBSP}% d’énergie en moins.`,
    ]);
  });

  it('says when the faster one uses more energy, and names the most frugal', () => {
    expect(buildVerdict([item('A', 20, 0.6), item('B', 10, 0.5)], 'en', { sameMachine: false })).toEqual([
      'Across these machines, A answers 2.0× faster than B but uses 20% more energy.',
      `B uses the least energy per token: 0.5${NBSP}J/token.`,
    ]);
  });

  it('flags estimates and missing energy', () => {
    expect(buildVerdict([item('A', 20, 0.3, 'estimate'), item('B', 10, 0.6)], 'en', { sameMachine: true })).toEqual([
      'On this machine, A answers 2.0× faster than B for 50% less energy (energy estimated, not measured).',
    ]);
    expect(buildVerdict([item('A', 20, null, null), item('B', 10, 0.6)], 'en', { sameMachine: true })).toEqual([
      'On this machine, A answers 2.0× faster than B (energy not measured).',
    ]);
  });

  it('does not call a difference within the run-to-run spread a speed-up', () => {
    const a = { ...item('A', 1878, null, null), genTpsSd: 656 };
    const b = { ...item('B', 1755, null, null), genTpsSd: 80 };
    expect(buildVerdict([a, b], 'en', { sameMachine: true })).toEqual([
      'On this machine, A and B answer at about the same speed, within their run-to-run spread (energy not measured).',
    ]);
    expect(buildVerdict([{ ...a, genTpsSd: 20 }, b], 'en', { sameMachine: true })[0]).toMatch(/A answers 1.1× faster than B/);
  });

  it('calls close figures about the same, and needs two runs with a speed', () => {
    expect(buildVerdict([item('A', 10.2, 0.5), item('B', 10, 0.51)], 'en', { sameMachine: true })).toEqual([
      'On this machine, A and B answer at about the same speed for about the same energy.',
    ]);
    expect(buildVerdict([item('A', 10, 0.5), item('B', null, 0.4)], 'en', { sameMachine: true })).toEqual([]);
  });
});
