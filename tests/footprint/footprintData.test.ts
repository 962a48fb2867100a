// The shipped data files validate, cover what the issue asks for, and a malformed file is rejected.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloudModelsFileSchema,
  gridIntensityFileSchema,
  parseDataFile,
  providersFileSchema,
  publishedFiguresFileSchema,
  cloudModels,
  gridIntensity,
  providers,
  publishedFigures,
} from '../../lib/footprint/footprintData';
import { REPO_ROOT } from '../helpers/paths';

const DATASETS = path.join(REPO_ROOT, 'lib', 'footprint', 'datasets');

function readDataset(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(DATASETS, name), 'utf8'));
}

describe('the shipped files', () => {
  it('parse against their schemas', () => {
    expect(() => parseDataFile(cloudModelsFileSchema, readDataset('cloudModels.json'), 'cloudModels.json')).not.toThrow();
    expect(() => parseDataFile(gridIntensityFileSchema, readDataset('gridIntensity.json'), 'gridIntensity.json')).not.toThrow();
    expect(() => parseDataFile(providersFileSchema, readDataset('providers.json'), 'providers.json')).not.toThrow();
    expect(() => parseDataFile(publishedFiguresFileSchema, readDataset('publishedFigures.json'), 'publishedFigures.json')).not.toThrow();
  });

  it('have the grid of every EU country, the other required countries and a world average, each with year and source', () => {
    const eu27 = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];
    const others = ['US', 'GB', 'CA', 'CN', 'IN', 'JP', 'BR', 'AU', 'WORLD'];
    const codes = gridIntensity.countries.map((c) => c.code);
    for (const code of [...eu27, ...others]) expect(codes).toContain(code);
    for (const c of gridIntensity.countries) {
      expect(c.year).toBe(2024);
      expect(gridIntensity.sources[c.source]?.url).toMatch(/^https:\/\//);
    }
  });

  it('carry the closed-model classes of the shared doc as EcoLogits estimates', () => {
    const byId = new Map(cloudModels.models.map((m) => [m.id, m]));
    for (const id of ['gpt-4o', 'claude-sonnet-4', 'claude-sonnet-4.5', 'gemini-2.5-flash']) {
      expect(byId.get(id)).toMatchObject({ architecture: 'moe', totalParamsB: { low: 440, high: 440 }, activeParamsB: { low: 44, high: 132 } });
    }
    for (const id of ['gpt-4o-mini', 'claude-3.5-haiku']) {
      expect(byId.get(id)).toMatchObject({ architecture: 'dense', totalParamsB: { low: 8, high: 28 }, activeParamsB: { low: 8, high: 28 } });
    }
    expect(byId.get('mistral-large-2407')).toMatchObject({ architecture: 'dense', totalParamsB: { low: 123, high: 123 } });
  });

  it('carry the open models a standard suite is likely run on, each with its source', () => {
    const ids = cloudModels.models.filter((m) => m.open).map((m) => m.id);
    for (const id of ['llama-3.2-1b', 'llama-3.1-8b', 'llama-3.3-70b', 'qwen2.5-0.5b', 'qwen2.5-72b', 'qwen3-0.6b', 'qwen3-32b', 'mistral-7b', 'gemma-2-9b', 'gemma-3-27b']) {
      expect(ids).toContain(id);
    }
    for (const m of cloudModels.models) expect(m.source.length).toBeGreaterThan(10);
    // Open models are compared as served through EcoLogits' Hugging Face Hub profile.
    for (const m of cloudModels.models.filter((x) => x.open)) expect(m.provider).toBe('huggingface_hub');
  });

  it('give the providers of the shared doc with its PUE and WUE', () => {
    const byId = new Map(providers.providers.map((p) => [p.id, p]));
    expect(byId.get('openai')).toMatchObject({ pue: { low: 1.2, high: 1.2 }, wueOnsiteLPerKwh: { low: 0.569, high: 0.569 } });
    expect(byId.get('google')).toMatchObject({ pue: { low: 1.09, high: 1.09 }, wueOnsiteLPerKwh: { low: 0.99, high: 0.99 } });
    expect(byId.get('anthropic')).toMatchObject({ pue: { low: 1.09, high: 1.14 }, wueOnsiteLPerKwh: { low: 0.13, high: 0.99 } });
    expect(byId.get('mistral')).toMatchObject({ pue: { low: 1.16, high: 1.16 }, wueOnsiteLPerKwh: { low: 0.09, high: 0.09 } });
    // EcoLogits' own mixes: world 473, USA 384 (as in the shared doc)
    expect(providers.zones.find((z) => z.zone === 'WOR')?.gCo2ePerKwh).toBeCloseTo(473, 0);
    expect(providers.zones.find((z) => z.zone === 'USA')?.gCo2ePerKwh).toBeCloseTo(384, 0);
  });

  it('give the published claims of the shared doc, with boundary, date and source', () => {
    const byId = new Map(publishedFigures.figures.map((f) => [f.id, f]));
    expect(byId.get('google-gemini-2025-08')?.quantities).toEqual({ energyWh: 0.24, gco2e: 0.03, waterMl: 0.26 });
    expect(byId.get('openai-2025-06')?.quantities.energyWh).toBe(0.34);
    expect(byId.get('mistral-large-2-lca-2025-07')?.quantities).toMatchObject({ gco2e: 1.14, waterMl: 45 });
    expect(byId.get('mistral-large-2-lca-2025-07')?.unitOfWork).toBe('400-token Le Chat response');
    expect(byId.get('ml-energy-v3-2025-12')?.quantities.energyJPerOutputToken).toBe(0.12);
    for (const f of publishedFigures.figures) {
      expect(f.boundary.length).toBeGreaterThan(5);
      expect(f.url).toMatch(/^https:\/\//);
    }
  });
});

describe('a malformed file is rejected with the file named', () => {
  it('a model with more active than total parameters', () => {
    const file = readDataset('cloudModels.json') as { models: { activeParamsB: unknown }[] };
    file.models[0].activeParamsB = 500;
    expect(() => parseDataFile(cloudModelsFileSchema, file, 'cloudModels.json')).toThrow(
      /^lib\/footprint\/datasets\/cloudModels.json is malformed \(a wattbench bug\): .*active parameters must not exceed total parameters/s,
    );
  });

  it('a comparison naming a model that is not in the catalogue', () => {
    const file = readDataset('cloudModels.json') as { comparisons: Record<string, string> };
    file.comparisons.frontier = 'gpt-9';
    expect(() => parseDataFile(cloudModelsFileSchema, file, 'cloudModels.json')).toThrow(/comparison frontier names unknown model gpt-9/);
  });

  it('a duplicate country, a missing year, and no world average', () => {
    const file = readDataset('gridIntensity.json') as { countries: Record<string, unknown>[] };
    const duplicate = { ...file, countries: [...file.countries, file.countries[0]] };
    expect(() => parseDataFile(gridIntensityFileSchema, duplicate, 'gridIntensity.json')).toThrow(/duplicate country AT/);
    const noYear = { ...file, countries: file.countries.map((c, i) => (i === 0 ? { ...c, year: undefined } : c)) };
    expect(() => parseDataFile(gridIntensityFileSchema, noYear, 'gridIntensity.json')).toThrow(/gridIntensity.json is malformed/);
    const noWorld = { ...file, countries: file.countries.filter((c) => c.code !== 'WORLD') };
    expect(() => parseDataFile(gridIntensityFileSchema, noWorld, 'gridIntensity.json')).toThrow(/the WORLD average is missing/);
  });

  it('a provider with a PUE below 1 or an unknown zone', () => {
    const file = readDataset('providers.json') as { providers: Record<string, unknown>[] };
    const lowPue = { ...file, providers: [{ ...file.providers[0], pue: 0.8 }] };
    expect(() => parseDataFile(providersFileSchema, lowPue, 'providers.json')).toThrow(/a PUE is at least 1/);
    const badZone = { ...file, providers: [{ ...file.providers[0], zone: 'MARS' }] };
    expect(() => parseDataFile(providersFileSchema, badZone, 'providers.json')).toThrow(/provider openai is in unknown zone MARS/);
  });

  it('a published figure without any quantity', () => {
    const file = readDataset('publishedFigures.json') as { figures: Record<string, unknown>[] };
    const empty = { ...file, figures: [{ ...file.figures[0], quantities: {} }] };
    expect(() => parseDataFile(publishedFiguresFileSchema, empty, 'publishedFigures.json')).toThrow(/a figure gives at least one quantity/);
  });
});
