// The EcoLogits 0.9.1 formulas, checked against worked examples computed by hand from the published methodology.
// Published coefficients (docs/methodology/llm_inference.md, release 0.9.1):
//   f_E(P) = α·exp(β·B)·P + γ   α = 1.1665e-6, β = -1.1206e-2, γ = 4.0529e-5, B = 64   (Wh per output token)
//   f_L(P) = 6.785e-4·P + 3.119e-4·B + 1.947e-2                                          (s per output token)
//   GPUs = ⌈1.2 · P_total · 16 / 8 / 80⌉ rounded up to a power of two
//   E_server = ΔT · 1.2 kW · (GPUs / 8) / B;  E = PUE · (E_server + GPUs · T · f_E(P))
//   embodied = ΔT / (B · 3 years) · ((GPUs / 8) · 5,700 + GPUs · 164) kgCO2e
import { describe, expect, it } from 'vitest';
import {
  embodiedGco2e,
  evaluateEcoLogits,
  gpuCount,
  gpuEnergyPerTokenWh,
  generationTimeS,
  latencyPerTokenS,
  serverEnergyWh,
  usageGco2e,
  usageWaterMl,
} from '../../lib/footprint/ecologits';

/** Relative closeness: the hand arithmetic below is rounded to 6 significant digits. */
function expectClose(actual: number, expected: number, relative = 1e-5): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(relative);
}

// α·exp(β·B) = 1.1665e-6 × exp(−1.1206e-2 × 64) = 1.1665e-6 × exp(−0.717184) = 1.1665e-6 × 0.488125 = 5.69398e-7 Wh per B
const SLOPE = 1.1665e-6 * 0.488125;
// 3.119e-4 × 64 + 1.947e-2 = 0.0199616 + 0.01947 = 0.0394316 s
const LATENCY_INTERCEPT = 0.0394316;
// 3 × 365 × 24 × 3600 = 94,608,000 s
const LIFETIME_S = 94_608_000;

describe('energy and latency per output token', () => {
  it('f_E for 8 B active parameters: 5.69398e-7 × 8 + 4.0529e-5 = 4.50842e-5 Wh (0.162 J)', () => {
    expectClose(SLOPE, 5.69398e-7);
    expectClose(gpuEnergyPerTokenWh(8), SLOPE * 8 + 4.0529e-5);
    expectClose(gpuEnergyPerTokenWh(8), 4.50842e-5);
    // The same order as ML.ENERGY's measured ~0.12 J per token for Llama 3.1 8B on an H100 at batch 64.
    expectClose(gpuEnergyPerTokenWh(8) * 3600, 0.162303);
  });

  it('f_L for 8 B: 6.785e-4 × 8 + 0.0394316 = 0.005428 + 0.0394316 = 0.0448596 s', () => {
    expectClose(latencyPerTokenS(8), 0.005428 + LATENCY_INTERCEPT);
    expectClose(latencyPerTokenS(8), 0.0448596);
  });

  it('f_E and f_L for 70 B: 8.03868e-5 Wh and 0.0869266 s', () => {
    // 5.69398e-7 × 70 + 4.0529e-5 = 3.98579e-5 + 4.0529e-5 = 8.03869e-5
    expectClose(gpuEnergyPerTokenWh(70), 8.03869e-5);
    // 6.785e-4 × 70 + 0.0394316 = 0.047495 + 0.0394316 = 0.0869266
    expectClose(latencyPerTokenS(70), 0.0869266);
  });
});

describe('GPU count', () => {
  it('rounds the memory need up to whole H100s, then to a power of two', () => {
    // 1.2 × 8 × 16 / 8 = 19.2 GB → ⌈19.2 / 80⌉ = ⌈0.24⌉ = 1 → 2^0 = 1
    expect(gpuCount(8)).toBe(1);
    // 1.2 × 70 × 2 = 168 GB → ⌈2.1⌉ = 3 → next power of two: 4
    expect(gpuCount(70)).toBe(4);
    // 1.2 × 440 × 2 = 1,056 GB → ⌈13.2⌉ = 14 → 16
    expect(gpuCount(440)).toBe(16);
    // 1.2 × 33.3 × 2 = 79.92 GB → 1; 1.2 × 33.4 × 2 = 80.16 GB → 2
    expect(gpuCount(33.3)).toBe(1);
    expect(gpuCount(33.4)).toBe(2);
    // A 260 K-parameter test model still needs one GPU.
    expect(gpuCount(0.00026)).toBe(1);
  });
});

describe('worked example: dense 8 B, 100 output tokens, PUE 1, grid 1,000 gCO2e/kWh', () => {
  const r = evaluateEcoLogits({
    activeParamsB: 8,
    totalParamsB: 8,
    outputTokens: 100,
    pue: 1,
    wueOnsiteLPerKwh: 0,
    wueOffsiteLPerKwh: 0,
    gridGCo2ePerKwh: 1000,
  });

  it('generation time ΔT = 100 × 0.0448596 = 4.48596 s on 1 GPU', () => {
    expect(r.gpus).toBe(1);
    expectClose(r.generationTimeS, 4.48596);
  });

  it('server 0.00292055 Wh + GPU 0.00450842 Wh = 0.00742897 Wh', () => {
    // E_server = 4.48596 s / 3600 × 1200 W × 1/8 / 64 = 0.00124610 h × 1200 W / 512 = 0.00292055 Wh
    expectClose(r.serverEnergyWh, ((4.48596 / 3600) * 1200 * (1 / 8)) / 64);
    expectClose(r.serverEnergyWh, 0.00292055);
    // E_GPU = 1 × 100 × 4.50842e-5 = 0.00450842 Wh
    expectClose(r.gpuEnergyWh, 0.00450842);
    // E = 1.0 × (0.00292055 + 0.00450842)
    expectClose(r.energyWh, 0.00292055 + 0.00450842);
  });

  it('at 1,000 gCO2e/kWh the grams equal the watt-hours: 0.00742897 gCO2e', () => {
    // 0.00742897 Wh / 1000 × 1000 gCO2e/kWh
    expectClose(r.gco2e, 0.00742897);
    expect(r.waterMl).toBe(0);
  });

  it('embodied: 4.48596 / (64 × 94,608,000) × (1/8 × 5,700 + 164) kg = 6.49381e-4 g', () => {
    // 4.48596 / 6.054912e9 = 7.40880e-10 of the hardware; 712.5 + 164 = 876.5 kgCO2e → 6.49381e-7 kg
    expectClose(r.embodiedGco2e, (4.48596 / (64 * LIFETIME_S)) * 876.5 * 1000);
    expectClose(r.embodiedGco2e, 6.49381e-4);
  });
});

describe('worked example: dense 70 B, 100 output tokens, PUE 1', () => {
  const r = evaluateEcoLogits({
    activeParamsB: 70,
    totalParamsB: 70,
    outputTokens: 100,
    pue: 1,
    wueOnsiteLPerKwh: 0,
    wueOffsiteLPerKwh: 0,
    gridGCo2ePerKwh: 1000,
  });

  it('4 GPUs, ΔT = 8.69266 s, E = 0.0226371 + 0.0321547 = 0.0547919 Wh', () => {
    expect(r.gpus).toBe(4);
    expectClose(r.generationTimeS, 8.69266);
    // E_server = 8.69266 / 3600 × 1200 × 4/8 / 64 = 0.0226371 Wh
    expectClose(r.serverEnergyWh, ((8.69266 / 3600) * 1200 * (4 / 8)) / 64);
    // E_GPU = 4 × 100 × 8.03869e-5 = 0.0321547 Wh
    expectClose(r.gpuEnergyWh, 4 * 100 * 8.03869e-5);
    expectClose(r.energyWh, 0.0226371 + 0.0321547);
  });

  it('embodied: 8.69266 / (64 × 94,608,000) × (4/8 × 5,700 + 4 × 164) kg = 5.03335e-3 g', () => {
    // 2,850 + 656 = 3,506 kgCO2e of hardware
    expectClose(r.embodiedGco2e, (8.69266 / (64 * LIFETIME_S)) * 3506 * 1000);
    expectClose(r.embodiedGco2e, 5.03335e-3);
  });
});

describe('the parts on their own', () => {
  it('caps the generation time at a measured request latency', () => {
    expectClose(generationTimeS(100, 8), 4.48596);
    expect(generationTimeS(100, 8, 2)).toBe(2);
  });

  it('server energy, carbon, water and embodied scale as published', () => {
    // 3600 s × 1.2 kW × 8/8 / 64 = 18.75 Wh
    expect(serverEnergyWh(3600, 8)).toBe(18.75);
    // 10 Wh = 0.01 kWh × 384 gCO2e/kWh = 3.84 g
    expectClose(usageGco2e(10, 384), 3.84);
    // 10 Wh × (0.569 + 1.2 × 3.1321) L/kWh = 10 × 4.32752 = 43.2752 mL
    expectClose(usageWaterMl(10, 1.2, 0.569, 3.1321), 43.2752);
    // A whole lifetime at batch 64 on one server of 8 GPUs: (5,700 + 8 × 164) kg / 64 = 109.75 kg
    expectClose(embodiedGco2e(LIFETIME_S, 8), (7012 / 64) * 1000);
  });
});
