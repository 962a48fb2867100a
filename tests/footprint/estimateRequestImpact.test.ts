// estimateRequestImpact: ranges, provider factors and input validation, against hand-computed EcoLogits 0.9.1 figures.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../lib/errors/WattbenchError';
import { estimateRequestImpact } from '../../lib/footprint/estimateRequestImpact';

function expectClose(actual: number, expected: number, relative = 1e-5): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(relative);
}

// OpenAI's data centre as EcoLogits 0.9.1 describes it: PUE 1.20, on-site WUE 0.569 L/kWh, in the USA, whose
// EcoLogits electricity mix is 0.38355 kgCO2e/kWh and 3.1321 L/kWh off site.
// Water factor: 0.569 + 1.20 × 3.1321 = 0.569 + 3.75852 = 4.32752 L/kWh, i.e. mL per Wh.
const OPENAI_WATER = 4.32752;

describe('dense 8 B (Llama 3.1 8B, 8.03 B) × 100 output tokens at OpenAI', () => {
  const e = estimateRequestImpact({ activeParamsB: 8.03, totalParamsB: 8.03, outputTokens: 100, inputTokens: 40, provider: 'openai' });

  it('energy 1.2 × (0.00292187 + 0.00451013) = 0.00891840 Wh, an exact point', () => {
    // f_E(8.03) = 5.69398e-7 × 8.03 + 4.0529e-5 = 4.51013e-5 Wh → GPU 1 × 100 × 4.51013e-5 = 0.00451013 Wh
    // f_L(8.03) = 6.785e-4 × 8.03 + 0.0394316 = 0.0448800 s → ΔT 4.48800 s → server 4.488 / 3600 × 1200 / 8 / 64 = 0.00292187 Wh
    expect(e.energyWh.low).toBe(e.energyWh.high);
    expectClose(e.energyWh.low, 1.2 * (0.00292187 + 0.00451013));
    expectClose(e.energyWh.low, 0.0089184);
  });

  it('carbon 0.0089184 Wh / 1000 × 383.55 g/kWh = 0.00342065 g; water 0.0089184 × 4.32752 = 0.0385945 mL', () => {
    expectClose(e.gco2e.low, 0.00342065);
    expectClose(e.waterMl.low, 0.0089184 * OPENAI_WATER);
    expectClose(e.waterMl.low, 0.0385945);
  });

  it('embodied 6.49676e-4 g is reported apart, and in the EcoLogits-style total: 0.00342065 + 0.000649676 g', () => {
    // ΔT 4.488 s / (64 × 94,608,000 s) × (1/8 × 5,700 + 164) kg × 1000 = 6.49676e-4 g
    expectClose(e.embodiedGco2e.low, 6.49676e-4);
    expectClose(e.totalGco2e.low, 0.00342065 + 0.000649676);
  });

  it('names the method and version, and records the input tokens without using them', () => {
    expect(e.method).toMatchObject({ name: 'EcoLogits', version: '0.9.1' });
    expect(e.kind).toBe('estimate');
    expect(e.inputTokens).toBe(40);
    expect(e.assumptions).toContain('40 input tokens recorded but not counted: EcoLogits 0.9.1 estimates from output tokens only');
    const withoutInput = estimateRequestImpact({ activeParamsB: 8.03, totalParamsB: 8.03, outputTokens: 100, provider: 'openai' });
    expect(withoutInput.energyWh).toEqual(e.energyWh);
  });
});

describe('dense 70 B (Llama 3.1 70B, 70.6 B) × 100 output tokens at OpenAI', () => {
  it('4 GPUs; energy 1.2 × (0.0227432 + 0.0322914) = 0.0660415 Wh', () => {
    const e = estimateRequestImpact({ activeParamsB: 70.6, totalParamsB: 70.6, outputTokens: 100, provider: 'openai' });
    // 1.2 × 70.6 × 2 = 169.44 GB → ⌈2.118⌉ = 3 → 4 GPUs
    expect(e.gpus).toEqual({ low: 4, high: 4 });
    // f_L(70.6) = 6.785e-4 × 70.6 + 0.0394316 = 0.0873337 s → ΔT 8.73337 s → server 8.73337 / 3600 × 1200 × 4/8 / 64 = 0.0227432 Wh
    // f_E(70.6) = 5.69398e-7 × 70.6 + 4.0529e-5 = 8.07285e-5 Wh → GPUs 4 × 100 × 8.07285e-5 = 0.0322914 Wh
    expectClose(e.energyWh.low, 1.2 * (0.0227432 + 0.0322914));
    // 0.0660415 Wh × 0.38355 g/Wh (383.55 g/kWh) = 0.0253302 gCO2e
    expectClose(e.gco2e.low, 0.0253302);
  });
});

describe('mixture of experts: 440 B total, 44–132 B active (GPT-4o class) × 100 output tokens at OpenAI', () => {
  const e = estimateRequestImpact({ activeParamsB: { low: 44, high: 132 }, totalParamsB: 440, outputTokens: 100, provider: 'openai' });

  it('16 GPUs at both ends', () => {
    // 1.2 × 440 × 2 = 1,056 GB → ⌈13.2⌉ = 14 → 16
    expect(e.gpus).toEqual({ low: 16, high: 16 });
  });

  it('low end (44 B active): 1.2 × (0.0721725 + 0.104932) = 0.212525 Wh', () => {
    // f_L(44) = 6.785e-4 × 44 + 0.0394316 = 0.0692856 s → ΔT 6.92856 s → server 6.92856 / 3600 × 1200 × 16/8 / 64 = 0.0721725 Wh
    // f_E(44) = 5.69398e-7 × 44 + 4.0529e-5 = 6.55825e-5 Wh → GPUs 16 × 100 × 6.55825e-5 = 0.104932 Wh
    expectClose(e.generationTimeS.low, 6.92856);
    expectClose(e.serverEnergyWh.low, 0.0721725);
    expectClose(e.gpuEnergyWh.low, 0.104932);
    expectClose(e.energyWh.low, 1.2 * (0.0721725 + 0.104932));
  });

  it('high end (132 B active): 1.2 × (0.134368 + 0.185103) = 0.383366 Wh', () => {
    // f_L(132) = 6.785e-4 × 132 + 0.0394316 = 0.128994 s → ΔT 12.8994 s → server 12.8994 / 3600 × 1200 × 2 / 64 = 0.134368 Wh
    // f_E(132) = 5.69398e-7 × 132 + 4.0529e-5 = 1.156895e-4 Wh → GPUs 16 × 100 × 1.156895e-4 = 0.185103 Wh
    expectClose(e.serverEnergyWh.high, 0.134368);
    expectClose(e.gpuEnergyWh.high, 0.185103);
    expectClose(e.energyWh.high, 1.2 * (0.134368 + 0.185103));
  });

  it('carbon and water follow the energy range', () => {
    // 0.212525 × 0.38355 = 0.0815140 g … 0.383366 × 0.38355 = 0.147040 g
    expectClose(e.gco2e.low, 0.081514);
    expectClose(e.gco2e.high, 0.14704);
    // 0.212525 × 4.32752 = 0.919707 mL … 0.383366 × 4.32752 = 1.65902 mL
    expectClose(e.waterMl.low, 0.919707);
    expectClose(e.waterMl.high, 1.65902);
  });
});

describe('provider factors', () => {
  it('a provider range (Anthropic: PUE 1.09–1.14, WUE 0.13–0.99) widens the estimate of an exact model', () => {
    const e = estimateRequestImpact({ activeParamsB: 8, totalParamsB: 8, outputTokens: 100, provider: 'Anthropic' });
    // E at PUE 1 is 0.00742897 Wh (ecologits.test.ts): 1.09 × 0.00742897 = 0.00809758 … 1.14 × … = 0.00846903
    expectClose(e.energyWh.low, 1.09 * 0.00742897);
    expectClose(e.energyWh.high, 1.14 * 0.00742897);
    // water: 0.00809758 × (0.13 + 1.09 × 3.1321) … 0.00846903 × (0.99 + 1.14 × 3.1321)
    expectClose(e.waterMl.low, 0.00809758 * (0.13 + 1.09 * 3.1321));
    expectClose(e.waterMl.high, 0.00846903 * (0.99 + 1.14 * 3.1321));
  });

  it('Mistral AI is in Sweden: 35.82 gCO2e/kWh', () => {
    const e = estimateRequestImpact({ activeParamsB: 8, totalParamsB: 8, outputTokens: 100, provider: 'mistral' });
    expect(e.factors.gridGCo2ePerKwh).toBe(35.82);
    // 1.16 × 0.00742897 Wh × 0.03582 g/Wh
    expectClose(e.gco2e.low, 1.16 * 0.00742897 * 0.03582);
  });

  it('explicit factors and a grid override', () => {
    const e = estimateRequestImpact({ activeParamsB: 8, totalParamsB: 8, outputTokens: 100, pue: 1, wueOnsite: 0, wueOffsite: 2, gridGPerKwh: 1000 });
    expect(e.factors.providerId).toBe('custom');
    expectClose(e.energyWh.low, 0.00742897);
    expectClose(e.gco2e.low, 0.00742897);
    // 0.00742897 Wh × (0 + 1 × 2) L/kWh = 0.0148579 mL
    expectClose(e.waterMl.low, 0.0148579);
  });

  it('no provider: PUE and on-site WUE span the providers (1.09–1.2, 0.09–0.99) with the world mix', () => {
    const e = estimateRequestImpact({ activeParamsB: 8, totalParamsB: 8, outputTokens: 100 });
    expect(e.factors.providerId).toBe('unspecified');
    expect(e.factors.pue).toEqual({ low: 1.09, high: 1.2 });
    expect(e.factors.wueOnsiteLPerKwh).toEqual({ low: 0.09, high: 0.99 });
    expect(e.factors.gridGCo2ePerKwh).toBe(473.01);
    expectClose(e.energyWh.low, 1.09 * 0.00742897);
    expectClose(e.energyWh.high, 1.2 * 0.00742897);
  });

  it('caps the generation time at a measured latency', () => {
    const e = estimateRequestImpact({ activeParamsB: 8, totalParamsB: 8, outputTokens: 100, pue: 1, wueOnsite: 0, wueOffsite: 0, requestLatencyS: 2 });
    expect(e.generationTimeS).toEqual({ low: 2, high: 2 });
    // server 2 / 3600 × 1200 / 8 / 64 = 0.00130208 Wh; GPU unchanged 0.00450842 Wh
    expectClose(e.energyWh.low, 0.00130208 + 0.00450842);
  });
});

describe('input validation', () => {
  const base = { activeParamsB: 8, totalParamsB: 8, outputTokens: 100 };
  const cases: [string, Parameters<typeof estimateRequestImpact>[0], RegExp][] = [
    ['negative output tokens', { ...base, outputTokens: -5 }, /^output tokens must be a whole number of tokens, 0 or more \(got -5\)$/],
    ['fractional output tokens', { ...base, outputTokens: 1.5 }, /output tokens must be a whole number/],
    ['negative input tokens', { ...base, inputTokens: -1 }, /^input tokens must be a whole number of tokens, 0 or more \(got -1\)$/],
    ['zero parameters', { ...base, activeParamsB: 0 }, /^active parameters must be above 0 billion \(got 0\)$/],
    ['active above total', { ...base, activeParamsB: 70 }, /^active parameters \(70 B\) cannot exceed total parameters \(8 B\)$/],
    ['reversed range', { ...base, activeParamsB: { low: 8, high: 4 } }, /the low bound 8 is above the high bound 4/],
    ['unknown provider', { ...base, provider: 'acme' }, /^unknown provider "acme": use one of openai, google, anthropic, mistral, huggingface_hub$/],
    ['provider and factors', { ...base, provider: 'openai', pue: 1.1 }, /pass either --provider or --pue/],
    ['partial factors', { ...base, pue: 1.1 }, /pass --pue, --wue-onsite and --wue-offsite together/],
    ['PUE below 1', { ...base, pue: 0.9, wueOnsite: 0, wueOffsite: 0 }, /^PUE must be at least 1 \(got 0.9\)$/],
    ['negative grid', { ...base, gridGPerKwh: -1 }, /grid carbon intensity must be 0 or more/],
  ];
  it.each(cases)('rejects %s with an InputError (exit 2)', (_name, options, message) => {
    let caught: unknown;
    try {
      estimateRequestImpact(options);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).exitCode).toBe(2);
    expect((caught as InputError).message).toMatch(message);
  });

  it('accepts zero output tokens: nothing generated, nothing spent', () => {
    const e = estimateRequestImpact({ ...base, outputTokens: 0, provider: 'openai' });
    expect(e.energyWh).toEqual({ low: 0, high: 0 });
  });
});
