// Exact strings of the footprint formatters.
import { describe, expect, it } from 'vitest';
import { compareLocalToCloud } from '../../lib/footprint/compareLocalToCloud';
import { estimateRequestImpact } from '../../lib/footprint/estimateRequestImpact';
import { alignRows, formatComparison, formatEstimate } from '../../bench/output/formatFootprint';
import { formatFigure, formatParams, formatRange } from '../../lib/footprint/formatQuantity';

describe('formatFigure and formatRange', () => {
  it('the shared precision rule without trailing zeros', () => {
    expect(formatFigure(0)).toBe('0');
    expect(formatFigure(0.008914758)).toBe('0.00891');
    expect(formatFigure(471.08)).toBe('471');
    expect(formatFigure(12.34)).toBe('12.3');
    expect(formatFigure(1.5)).toBe('1.5');
    expect(formatFigure(1234.5)).toBe('1,235');
    expect(formatFigure(0.000649380856)).toBe('0.000649');
  });

  it('a range shows both bounds unless they format the same', () => {
    expect(formatRange({ low: 0.2125, high: 0.3834 }, 'Wh')).toBe('0.213 … 0.383 Wh');
    expect(formatRange({ low: 0.00891, high: 0.008914 }, 'Wh')).toBe('0.00891 Wh');
    expect(formatParams({ low: 44, high: 132 })).toBe('44–132 B');
    expect(formatParams({ low: 8.03, high: 8.03 })).toBe('8.03 B');
  });

  it('aligns labels, values and tags', () => {
    expect(alignRows([['Energy', '0.1 Wh', '[estimate]'], ['Carbon (your grid)', '0.02 gCO2e', 'FR'], ['Water', 'not estimated']])).toEqual([
      '  Energy:              0.1 Wh       [estimate]',
      '  Carbon (your grid):  0.02 gCO2e   FR',
      '  Water:               not estimated',
    ]);
  });
});

describe('formatEstimate', () => {
  it('prints a hypothetical GPT-4o-class request with ranges, units and the method', () => {
    const e = estimateRequestImpact({ activeParamsB: { low: 44, high: 132 }, totalParamsB: 440, outputTokens: 100, inputTokens: 50, provider: 'openai' });
    expect(formatEstimate(e)).toBe(
      [
        'Cloud estimate: 44–132 B active of 440 B parameters, 100 output tokens',
        '  Data centre:             OpenAI (Microsoft Azure), PUE 1.2, on-site WUE 0.569 L/kWh, off-site 3.13 L/kWh',
        '  Energy:                  0.213 … 0.383 Wh       [estimate: EcoLogits 0.9.1]',
        '  Carbon (provider grid):  0.0815 … 0.147 gCO2e   384 gCO2e/kWh, United States (USA), EcoLogits electricity mix',
        '  Water:                   0.92 … 1.66 mL         cooling on site + generating the electricity',
        '  Embodied carbon:         0.016 … 0.0299 gCO2e   hardware manufacture, not in the carbon above',
        '  Hardware:                16 × H100 80 GB        PUE 1.2, generation 6.93 … 12.9 s',
        '  Counts: GPU energy plus the server share (without GPUs) at batch size 64, times the data-centre PUE; water on site and for generating the electricity; excludes networking, storage, idle capacity, training and user devices.',
        '  Not counted: 50 input tokens (EcoLogits 0.9.1 estimates from output tokens only).',
        '',
      ].join('\n'),
    );
  });

  it('applies the bold style to the header only', () => {
    const e = estimateRequestImpact({ activeParamsB: 8, totalParamsB: 8, outputTokens: 100, provider: 'google' });
    const text = formatEstimate(e, { bold: (s) => `<b>${s}</b>` });
    expect(text.split('\n')[0]).toBe('<b>Cloud estimate: 8 B parameters, 100 output tokens</b>');
    expect(text).not.toMatch(/Not counted/);
  });
});

describe('formatComparison', () => {
  it('prints the local figure, the cloud rows, the published claims and the notes', () => {
    const c = compareLocalToCloud({
      inputTokens: 1234,
      outputTokens: 2048,
      local: { joules: 5400, source: 'rapl', boundary: 'cpu-package', method: 'counter', label: 'measured: RAPL energy counters · CPU package' },
      localModel: { name: 'Llama 3.2 1B Instruct', fileName: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf', parameters: 1_235_814_400 },
      country: 'FR',
      env: {},
    });
    const lines = formatComparison(c, { runId: 7, status: 'completed', repetitions: 10 }).split('\n');
    expect(lines.slice(0, 15)).toEqual([
      'Footprint of run 7: Llama-3.2-1B-Instruct-Q4_K_M.gguf · 1,234 input + 2,048 output tokens (10 repetitions)',
      'Your grid: France (FR), 40.5 gCO2e/kWh in 2024 [Ember via Our World in Data] (from --country)',
      '',
      'This machine',
      '  Energy:              1.5 Wh          [measured: RAPL energy counters · CPU package]',
      '  Carbon (your grid):  0.0607 gCO2e    40.5 gCO2e/kWh, FR',
      '  Water:               not estimated   wattbench has no water figure for your electricity or your machine',
      '',
      'Same open model in a data centre: Llama 3.2 1B (1.24 B parameters, dense) on Hugging Face Hub (AWS, Google Cloud)',
      '  Energy:                  0.151 … 0.157 Wh         [estimate: EcoLogits 0.9.1]',
      '  Carbon (provider grid):  0.0578 … 0.0604 gCO2e    384 gCO2e/kWh, United States (USA), EcoLogits electricity mix',
      '  Carbon (your grid):      0.0061 … 0.00638 gCO2e   40.5 gCO2e/kWh, FR',
      '  Water:                   0.534 … 0.718 mL         cooling on site + generating the electricity',
      '  Embodied carbon:         0.0119 gCO2e             hardware manufacture, not in the carbon above',
      '  Hardware:                1 × H100 80 GB           PUE 1.09–1.14, generation 82.5 s',
    ]);
    expect(lines).toContain('Frontier model: GPT-4o (44–132 B active of 440 B parameters, mixture of experts, estimated size) on OpenAI (Microsoft Azure)');
    expect(lines).toContain('  Google: 0.24 Wh, 0.03 gCO2e, 0.26 mL water per median Gemini Apps text prompt');
    expect(lines).toContain(
      '    [published claim: Google, Aug 2025, boundary: accelerators, host CPU and DRAM, idle provisioned capacity and data-centre overhead (PUE); accelerators alone: 0.10 Wh; Elsworth et al., arXiv:2508.15734 (August 2025)]',
    );
    expect(lines).toContain('  Mistral AI: 1.14 gCO2e, 45 mL water, 0.16 mg Sb eq per 400-token Le Chat response');
    expect(lines.at(-1)).toBe('');
  });

  it('says "not measured" and why a row has no estimate', () => {
    const c = compareLocalToCloud({ inputTokens: 5, outputTokens: 6, local: null, localModel: { name: null, fileName: 'mystery.gguf', parameters: null }, env: {} });
    const lines = formatComparison(c, { runId: 3, status: 'interrupted', repetitions: 1 }).split('\n');
    expect(lines.slice(0, 10)).toEqual([
      'Footprint of run 3: mystery.gguf · 5 input + 6 output tokens (1 repetition, run interrupted)',
      'Your grid: World average (WORLD), 471 gCO2e/kWh in 2024 [Ember via Our World in Data] (default: no country given)',
      '',
      'This machine',
      '  Energy:              not measured    no power source recorded energy for this run',
      '  Carbon (your grid):  not measured    471 gCO2e/kWh, WORLD',
      '  Water:               not estimated   wattbench has no water figure for your electricity or your machine',
      '',
      'Same open model in a data centre: mystery.gguf',
      '  not estimated: the model is not in the catalogue and its parameter count is unknown',
    ]);
  });
});
