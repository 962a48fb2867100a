// Sampler.flush: a write that throws (a full disk) loses no sample; they go out with the next flush.
import { describe, it, expect } from 'vitest';
import { createSampler, type SampleRecord, type SamplerState } from '../../lib/sampler/createSampler';

describe('Sampler.flush', () => {
  it('keeps the samples of a failed write pending, and hands each sample out once', () => {
    const state: SamplerState = { phase: 'measure', promptIndex: 0, tokensGenerated: 0 };
    const sampler = createSampler({ intervalMs: 10_000, getState: () => state });
    sampler.start();
    // stop takes a last tick: one real sample, with no timer to wait for.
    sampler.stop();
    expect(sampler.all).toHaveLength(1);

    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(() =>
      sampler.flush(() => {
        throw full;
      }),
    ).toThrow(full);
    const written: SampleRecord[] = [];
    sampler.flush((batch) => written.push(...batch));
    expect(written).toEqual(sampler.all);
    sampler.flush((batch) => written.push(...batch));
    expect(written).toHaveLength(1);
  });
});
