// The held-out target on real measurements: the points of a real `wattbench probe` on a quiet machine (a 2-vCPU
// AMD EPYC VM, 2026-11-30; provenance in the fixture) run through the real fit. A test cannot time the machine
// it runs on (shared, loaded), so the timings are the fixture's; the fit, the hold-out and the prediction are
// the code's. The target: a forged size held out of the fit is predicted within 20 %.
import { describe, expect, it } from 'vitest';
import { fitWithHoldOut, type FitInput } from '../../lib/advise/fitProfile';
import fixture from '../fixtures/probe/quiet-epyc-2vcpu.json';

type FixturePoint = (typeof fixture.points)[number];
const TARGET = 0.2;

function fitInput(p: FixturePoint): FitInput {
  const { fileName: _f, sha256: _s, threads: _t, shape: _shape, repetitions: _r, ...point } = p;
  return { ...point, origin: 'probe', energyBasis: 'estimate' };
}

const points = fixture.points.map(fitInput);
const byLabel = (label: string) => points.find((p) => p.modelLabel === label)!;
/** The sizes between the smallest and the largest: a held-out interior size is interpolated, never extrapolated. */
const interior = [...points].sort((a, b) => a.bytesPerToken - b.bytesPerToken).slice(1, -1);

describe('the probe fit on a real quiet-machine probe (tests/fixtures/probe)', () => {
  it('reproduces the probe’s stored held-out errors, and predicts the held-out size within 20 %', () => {
    const held = byLabel(fixture.provenance.storedFit.heldOut);
    const fit = fitWithHoldOut(points, held.runId);
    expect(fit.heldOut).toMatchObject({ runId: held.runId, modelLabel: held.modelLabel });
    // The same fit as the probe stored: the fixture is the probe's, and the fit has not drifted from it.
    expect(fit.heldOut!.genError).toBeCloseTo(fixture.provenance.storedFit.genError, 9);
    expect(fit.heldOut!.promptError).toBeCloseTo(fixture.provenance.storedFit.promptError, 9);
    expect(fit.heldOut!.genError).toBeLessThan(TARGET);
    expect(fit.heldOut!.promptError).toBeLessThan(TARGET);
    // Residuals are reported with the fit (relative RMS over every point).
    expect(fit.generation.residualRel).toBeGreaterThan(0);
    expect(fit.generation.residualRel).toBeLessThan(TARGET);
  });

  it.each(interior.map((p) => [p.modelLabel, p] as const))('holding %s out instead: generation predicted within 20 %', (_label, held) => {
    const fit = fitWithHoldOut(points, held.runId);
    expect(fit.heldOut!.runId).toBe(held.runId);
    expect(fit.heldOut!.genError).toBeLessThan(TARGET);
  });

  // Not every interior size meets the target for prompt processing: forge-120M's three pp512 repetitions ran at
  // 298, 460 and 622 tok/s (a neighbour's burst on a 2-vCPU VM; its median is the point), and the fit of the three
  // other sizes predicts 641 tok/s, a 39.5 % error against that median. That point's own spread exceeds the target,
  // so no fit could meet it there; this test pins that down instead of hiding the case.
  it('forge-120M’s prompt point is disturbed beyond the target by its own repetitions (why it is not asserted)', () => {
    const raw = fixture.points.find((p) => p.modelLabel === 'forge-120M-f16')!;
    const pp = raw.repetitions.filter((r) => r.promptTokens >= 64).map((r) => r.promptTokensPerSec);
    const median = byLabel('forge-120M-f16').promptTokensPerSec;
    expect(Math.max(...pp) / median - 1).toBeGreaterThan(TARGET);
    expect(1 - Math.min(...pp) / median).toBeGreaterThan(TARGET);
    const fit = fitWithHoldOut(points, byLabel('forge-120M-f16').runId);
    // The prediction lies at the undisturbed end of the point's repetitions (within the target of the fastest).
    expect(Math.abs(fit.heldOut!.predictedPromptTokensPerSec / Math.max(...pp) - 1)).toBeLessThan(TARGET);
  });
});
