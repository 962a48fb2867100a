// Local vs cloud for the same tokens: the local energy with its labels beside three EcoLogits estimates.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../lib/errors/WattbenchError';
import { compareLocalToCloud } from '../../lib/footprint/compareLocalToCloud';

function expectClose(actual: number | undefined, expected: number, relative = 1e-5): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected) / Math.abs(expected)).toBeLessThan(relative);
}

const llama1b = { name: 'Llama 3.2 1B Instruct', fileName: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf', parameters: 1_235_814_400 };
const rapl = { joules: 5400, source: 'rapl', boundary: 'cpu-package', method: 'counter', label: 'measured: RAPL energy counters · CPU package' };

describe('a measured run of Llama 3.2 1B, 1,234 input and 2,048 output tokens, in France', () => {
  const c = compareLocalToCloud({ inputTokens: 1234, outputTokens: 2048, local: rapl, localModel: llama1b, country: 'fr', env: {} });

  it('gives the local energy in Wh with its labels, and its carbon with the French grid', () => {
    // 5,400 J / 3,600 = 1.5 Wh; 1.5 Wh / 1000 × 40.48 gCO2e/kWh = 0.06072 gCO2e
    expect(c.local).toMatchObject({ measured: true, estimated: false, energyWh: 1.5, label: 'measured: RAPL energy counters · CPU package' });
    expectClose(c.local.gco2eLocalGrid ?? undefined, 0.06072);
    expect(c.local.waterMl).toBeNull();
    expect(c.local.waterNote).toMatch(/^not estimated/);
    expect(c.grid).toMatchObject({ code: 'FR', origin: 'flag', isDefault: false });
  });

  it('(a) the same open model, matched by name, on Hugging Face Hub (PUE 1.09–1.14)', () => {
    const row = c.cloud[0];
    expect(row.role).toBe('same-open-model');
    expect(row.model).toMatchObject({ id: 'llama-3.2-1b', providerId: 'huggingface_hub', matchedBy: 'name', architecture: 'dense' });
    // f_E(1.24) = 5.69398e-7 × 1.24 + 4.0529e-5 = 4.12351e-5 Wh → GPU 2,048 × 4.12351e-5 = 0.0844494 Wh
    // f_L(1.24) = 6.785e-4 × 1.24 + 0.0394316 = 0.0402729 s → ΔT 82.4790 s → server 82.479 / 3600 × 1200 / 8 / 64 = 0.0536973 Wh
    // E = 1.09 × 0.138147 = 0.150580 Wh … 1.14 × 0.138147 = 0.157487 Wh
    expectClose(row.estimate?.energyWh.low, 0.15058);
    expectClose(row.estimate?.energyWh.high, 0.157487);
    // with the French grid: 0.15058 Wh × 0.04048 g/Wh = 0.00609547 g
    expectClose(row.gco2eLocalGrid?.low, 0.00609547);
    expect(row.estimate?.inputTokens).toBe(1234);
  });

  it('(b) a small closed model and (c) a frontier model, as ranges', () => {
    expect(c.cloud.map((r) => [r.role, r.model.id])).toEqual([
      ['same-open-model', 'llama-3.2-1b'],
      ['small-closed', 'gpt-4o-mini'],
      ['frontier', 'gpt-4o'],
    ]);
    for (const row of c.cloud.slice(1)) {
      expect(row.model.open).toBe(false);
      expect(row.estimate?.energyWh.high).toBeGreaterThan(row.estimate?.energyWh.low ?? Infinity);
      expect(row.estimate?.method).toMatchObject({ name: 'EcoLogits', version: '0.9.1' });
    }
    // Frontier, 440 B on 16 GPUs: E_low = 1.2 × (server + GPUs) at 44 B active, 2,048 tokens
    // ΔT = 2048 × 0.0692856 = 141.897 s → server 141.897 / 3600 × 1200 × 2 / 64 = 1.47809 Wh
    // GPUs 16 × 2048 × 6.55825e-5 = 2.14903 Wh → E = 1.2 × 3.62712 = 4.35254 Wh
    expectClose(c.cloud[2].estimate?.energyWh.low, 4.35254);
  });

  it('shows the published claims as published, separate from the estimates', () => {
    expect(c.published.map((p) => p.publisher)).toEqual(['Google', 'OpenAI', 'Mistral AI', 'ML.ENERGY']);
    for (const p of c.published) expect(p.kind).toBe('published-claim');
  });

  it('says the input tokens are not counted by the method', () => {
    expect(c.notes[0]).toBe(
      'Cloud figures are estimates (EcoLogits 0.9.1) for the same 2,048 output tokens; the method does not count the 1,234 input tokens, while the local figure includes prompt processing.',
    );
  });
});

describe('edge cases', () => {
  it('a run without energy is "not measured", never zero, and the world grid is the stated default', () => {
    const c = compareLocalToCloud({ inputTokens: 10, outputTokens: 20, local: null, localModel: llama1b, env: {} });
    expect(c.local).toMatchObject({ measured: false, energyWh: null, gco2eLocalGrid: null, label: 'not measured' });
    expect(c.grid).toMatchObject({ code: 'WORLD', isDefault: true });
    expect(c.notes).toContain('No energy was recorded for this run: the local figures are not measured (not zero).');
    expect(c.notes).toContain('No country given (--country or WATTBENCH_COUNTRY): your grid is the world average.');
  });

  it('a model outside the catalogue is estimated from its own parameter count as a dense model', () => {
    const c = compareLocalToCloud({
      inputTokens: 100,
      outputTokens: 500,
      local: { joules: 36, source: 'estimate', boundary: 'cpu-package', method: 'modelled', label: 'estimated (model not recorded) · CPU package' },
      localModel: { name: 'stories260K', fileName: 'stories260K.gguf', parameters: 260_000 },
      env: { WATTBENCH_COUNTRY: 'se' },
    });
    expect(c.local).toMatchObject({ estimated: true, label: 'estimated (model not recorded) · CPU package', energyWh: 0.01 });
    expect(c.grid).toMatchObject({ code: 'SE', origin: 'env' });
    const row = c.cloud[0];
    expect(row.model).toMatchObject({ id: null, matchedBy: 'own-parameter-count', architecture: 'dense' });
    expect(row.estimate?.activeParamsB).toEqual({ low: 0.00026, high: 0.00026 });
    // P = 0.00026 B: f_E ≈ γ = 4.0529e-5 Wh, f_L = 0.0394334 s; 500 tokens → 0.0202645 + 0.0128354 = 0.0331004 Wh before PUE
    expectClose(row.estimate?.energyWh.low, 1.09 * 0.0331004);
  });

  it('a model of unknown size outside the catalogue has no estimate, and says why', () => {
    const c = compareLocalToCloud({ inputTokens: 1, outputTokens: 1, local: null, localModel: { name: null, fileName: 'mystery.gguf', parameters: null }, env: {} });
    expect(c.cloud[0]).toMatchObject({ estimate: null, gco2eLocalGrid: null, unavailableReason: 'the model is not in the catalogue and its parameter count is unknown' });
    expect(c.cloud).toHaveLength(3);
  });

  it('mixed sources are counted as partly estimated, and a partial figure says so', () => {
    const c = compareLocalToCloud({
      inputTokens: 1,
      outputTokens: 1,
      local: { joules: 72, source: 'rapl + estimate', boundary: 'cpu-package', method: 'counter + modelled', partial: true, label: 'measured: RAPL energy counters · CPU package + estimated (model not recorded) · CPU package' },
      localModel: llama1b,
      env: {},
    });
    expect(c.local).toMatchObject({ measured: false, estimated: true, basis: 'mixed', partial: true, label: 'measured: RAPL energy counters · CPU package + estimated (model not recorded) · CPU package, partial' });
  });

  it('rejects negative tokens, negative energy and an unknown country with InputErrors', () => {
    const ok = { inputTokens: 1, outputTokens: 1, local: rapl, localModel: llama1b, env: {} };
    expect(() => compareLocalToCloud({ ...ok, outputTokens: -1 })).toThrow(InputError);
    expect(() => compareLocalToCloud({ ...ok, inputTokens: -3 })).toThrow('input tokens must be a whole number of tokens, 0 or more (got -3)');
    expect(() => compareLocalToCloud({ ...ok, local: { ...rapl, joules: -1 } })).toThrow('local energy must be 0 or more joules (got -1)');
    expect(() => compareLocalToCloud({ ...ok, country: 'ZZ' })).toThrow(/^unknown country "ZZ" in --country/);
  });
});
