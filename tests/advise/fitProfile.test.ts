// The profile fit on synthetic points: a machine of known bandwidth, FLOP/s and per-token overheads produces
// exact timings; the fit must give those parameters back, and predict a held-out size.
import { describe, expect, it } from 'vitest';
import { fitLine, fitProfile, fitWithHoldOut, predictSpeed, type FitInput } from '../../lib/advise/fitProfile';
import { tokenCost } from '../../lib/advise/modelCost';
import { mulberry32 } from '../../lib/stats/mulberry32';

const BANDWIDTH = 12e9; // bytes/s
const GEN_OVERHEAD_S = 0.004;
const FLOPS = 80e9; // FLOP/s
const PROMPT_OVERHEAD_S = 0.0002;

function point(runId: number, bytes: number, noise = 1): FitInput {
  const parameters = bytes / 2;
  const flops = 2 * parameters;
  return {
    runId,
    origin: 'probe',
    modelId: runId,
    modelLabel: `m${runId}`,
    modelBytes: bytes,
    parameters,
    bytesPerToken: bytes,
    flopsPerPromptToken: flops,
    genTokensPerSec: (1 / (GEN_OVERHEAD_S + bytes / BANDWIDTH)) * noise,
    promptTokensPerSec: (1 / (PROMPT_OVERHEAD_S + flops / FLOPS)) * noise,
    weight: 1,
    prefillW: 30 + runId,
    decodeW: 20 + runId,
    energySources: [{ source: 'rapl', boundary: 'cpu-package', method: 'counter', estimateModel: null }],
    energyBasis: 'measured',
  };
}

const SIZES = [60e6, 120e6, 240e6, 480e6, 960e6];

describe('fitProfile', () => {
  it('recovers bandwidth, FLOP/s and both overheads from exact points', () => {
    const fit = fitProfile(SIZES.map((b, i) => point(i + 1, b)));
    expect(fit.generation.bandwidthBytesPerSec).toBeCloseTo(BANDWIDTH, -6);
    expect(fit.generation.interceptS).toBeCloseTo(GEN_OVERHEAD_S, 9);
    expect(fit.prompt.flopsPerSec).toBeCloseTo(FLOPS, -6);
    expect(fit.prompt.interceptS).toBeCloseTo(PROMPT_OVERHEAD_S, 9);
    expect(fit.generation.residualRel).toBeLessThan(1e-9);
    expect(fit.bytesRange).toEqual([60e6, 960e6]);
  });

  it('recovers them within 10 % from points with ±5 % noise', () => {
    const random = mulberry32(7);
    const fit = fitProfile(SIZES.flatMap((b, i) => [1, 2, 3].map((k) => point(10 * i + k, b, 0.95 + 0.1 * random()))));
    expect(Math.abs(fit.generation.bandwidthBytesPerSec / BANDWIDTH - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.prompt.flopsPerSec / FLOPS - 1)).toBeLessThan(0.1);
    expect(fit.generation.residualRel).toBeGreaterThan(0);
    expect(fit.generation.residualRel).toBeLessThan(0.06);
  });

  it('predicts a held-out size from the others, and keeps the profile fitted on all of them', () => {
    const points = SIZES.map((b, i) => point(i + 1, b));
    const fit = fitWithHoldOut(points, 3);
    expect(fit.heldOut?.runId).toBe(3);
    expect(fit.heldOut!.genError).toBeLessThan(1e-9);
    expect(fit.heldOut!.promptError).toBeLessThan(1e-9);
    expect(fit.heldOut!.measuredGenTokensPerSec).toBe(points[2].genTokensPerSec);
    expect(fit.points).toHaveLength(5);
    // Every run of the held-out model leaves the partial fit: a disturbed second run of it cannot leak in.
    const leaky = [...points, { ...point(99, 240e6, 3), modelId: 3 }];
    const honest = fitWithHoldOut(leaky, 3);
    expect(honest.heldOut!.genError).toBeLessThan(1e-9);
  });

  it('reports no held-out error when fewer than two other sizes remain', () => {
    expect(fitWithHoldOut([point(1, 60e6), point(2, 120e6)], 1).heldOut).toBeNull();
  });

  it('weights: a point of weight 0 does not move the fit', () => {
    const exact = SIZES.map((b, i) => point(i + 1, b));
    const fit = fitProfile([...exact, { ...point(50, 300e6, 2), weight: 0 }]);
    expect(fit.generation.bandwidthBytesPerSec).toBeCloseTo(BANDWIDTH, -6);
  });

  it('never returns a negative overhead or a non-increasing time', () => {
    // Times proportional to size with a slight negative intercept in the data: refitted through the origin.
    const line = fitLine([1, 2, 4], [0.9, 2, 4.1], [1, 1, 1]);
    expect(line.interceptS).toBeGreaterThanOrEqual(0);
    expect(line.slopeS).toBeGreaterThan(0);
    // Faster with size (noise): a flat line, still positive.
    const flat = fitLine([1, 2, 4], [2, 1.9, 1.8], [1, 1, 1]);
    expect(flat.slopeS).toBeGreaterThan(0);
    expect(flat.interceptS).toBeGreaterThan(1.7);
  });

  it('averages the watts with their provenance', () => {
    const fit = fitProfile(SIZES.map((b, i) => point(i + 1, b)));
    expect(fit.decodeWatts).toMatchObject({ meanW: 23, points: 5, basis: 'measured', sources: [{ source: 'rapl', boundary: 'cpu-package' }] });
    expect(fit.prefillWatts!.meanW).toBeGreaterThan(fit.decodeWatts!.meanW);
  });
});

describe('tokenCost', () => {
  it('leaves an untied input embedding out of the bytes read, and both embedding matrices out of prompt FLOPs', () => {
    const none = tokenCost(2e9, 1e9, null);
    const tied = tokenCost(2e9, 1e9, { vocab: 100_000, embd: 1000, tied: true });
    const untied = tokenCost(2e9, 1e9, { vocab: 100_000, embd: 1000, tied: false });
    expect(tied.bytesPerToken).toBe(none.bytesPerToken);
    expect(untied.bytesPerToken).toBeLessThan(tied.bytesPerToken);
    expect(tied.flopsPerPromptToken).toBeLessThan(none.flopsPerPromptToken);
    expect(untied.flopsPerPromptToken).toBeLessThan(tied.flopsPerPromptToken);
  });

  it('predicts a bigger model slower', () => {
    const fit = fitProfile(SIZES.map((b, i) => point(i + 1, b)));
    const small = predictSpeed(fit, tokenCost(1e9, 1e9, null));
    const big = predictSpeed(fit, tokenCost(4e9, 8e9, null));
    expect(big.genTokensPerSec).toBeLessThan(small.genTokensPerSec);
    expect(big.promptTokensPerSec).toBeLessThan(small.promptTokensPerSec);
  });
});
