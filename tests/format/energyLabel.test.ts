import { describe, expect, it } from 'vitest';
import { describeEnergy, describeEnergyList, describeMethod, describeSource, isEstimate, shortSource, sortBoundaries } from '../../lib/format/energyLabel';

describe('energy labels', () => {
  it('names the sensor of a measured figure', () => {
    expect(describeSource('rapl', 'en')).toBe('measured: RAPL energy counters');
    expect(describeSource('nvidia', 'fr')).toBe('mesuré : capteur du GPU NVIDIA');
    expect(describeSource('custom-meter', 'en')).toBe('measured: custom-meter');
  });

  it('labels an estimate as an estimate, with its model', () => {
    expect(describeSource('estimate', 'en', 'CodeCarbon CPU-load model, TDP 65 W')).toBe('estimated (model CodeCarbon CPU-load model, TDP 65 W)');
    expect(describeSource('estimate', 'fr', null)).toBe('estimé (modèle non enregistré)');
    expect(isEstimate('rapl+estimate')).toBe(true);
    expect(isEstimate('rapl')).toBe(false);
    expect(isEstimate(null)).toBe(false);
  });

  it('gives every figure its source and boundary', () => {
    expect(describeEnergy({ source: 'rapl', boundary: 'cpu-package', method: 'counter' }, 'en')).toBe('measured: RAPL energy counters · CPU package');
    expect(
      describeEnergyList(
        [
          { source: 'rapl', boundary: 'dram' },
          { source: 'rapl', boundary: 'cpu-package' },
          { source: 'nvidia', boundary: 'gpu-board' },
        ],
        'en',
      ),
    ).toBe('measured: RAPL energy counters + measured: NVIDIA GPU sensor · CPU package + memory (DRAM) + GPU board');
    expect(describeEnergy({ source: 'rapl', boundary: 'cpu-cores', method: 'counter' }, 'fr')).toBe('mesuré : compteurs d’énergie RAPL · cœurs du processeur');
    expect(describeEnergyList([], 'fr')).toBe('non mesuré');
    expect(describeMethod('integrated-power', 'en')).toBe('power readings integrated over time');
  });

  it('writes short tags for tables', () => {
    expect(shortSource('rapl+nvidia', 'en')).toBe('RAPL + NVIDIA');
    expect(shortSource('estimate', 'fr')).toBe('estimation');
    expect(shortSource(null, 'en')).toBeNull();
    expect(sortBoundaries(['system', 'dram', 'cpu-package', 'dram'])).toEqual(['cpu-package', 'dram', 'system']);
  });
});
