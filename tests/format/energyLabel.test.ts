import { describe, expect, it } from 'vitest';
import { describeEnergy, describeEnergyList, describeMethod, describeSource, energyBasisOf, isEstimate, plainEnergySentence, shortSource, sortBoundaries } from '../../lib/format/energyLabel';

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
    ).toBe('measured: RAPL energy counters · CPU package + memory (DRAM) + measured: NVIDIA GPU sensor · GPU board');
    expect(describeEnergy({ source: 'rapl', boundary: 'cpu-cores', method: 'counter' }, 'fr')).toBe('mesuré : compteurs d’énergie RAPL · cœurs du processeur');
    expect(describeEnergyList([], 'fr')).toBe('non mesuré');
    expect(describeMethod('integrated-power', 'en')).toBe('power readings integrated over time');
  });

  it('names an estimate’s model in a total, from a live reading or from its stored row (energy.estimate_model), never from a note', () => {
    const cpu = { source: 'estimate', boundary: 'cpu-package', method: 'modelled', model: 'CodeCarbon CPU-load model (TDP 65 W)' };
    const ram = { source: 'estimate', boundary: 'dram', method: 'modelled', note: 'no reading in 1 of 9 samples', estimateModel: 'RAM model (3 W)' };
    const gpu = { source: 'nvidia', boundary: 'gpu-board', method: 'integrated-power' };
    expect(describeEnergyList([gpu, cpu, ram, gpu], 'en')).toBe(
      'measured: NVIDIA GPU sensor · GPU board + estimated (model CodeCarbon CPU-load model (TDP 65 W)) · CPU package + estimated (model RAM model (3 W)) · memory (DRAM)',
    );
  });

  it('writes short tags for tables', () => {
    expect(shortSource('rapl+nvidia', 'en')).toBe('RAPL + NVIDIA');
    expect(shortSource('estimate', 'fr')).toBe('estimation');
    expect(shortSource(null, 'en')).toBeNull();
    expect(sortBoundaries(['system', 'dram', 'cpu-package', 'dram'])).toEqual(['cpu-package', 'dram', 'system']);
  });

  it('says in one plain sentence, EN and FR, where the energy comes from (counted figures only)', () => {
    const cpu = { source: 'estimate', boundary: 'cpu-package', method: 'modelled' };
    const ram = { source: 'estimate', boundary: 'dram', method: 'modelled' };
    expect(plainEnergySentence([cpu, ram], 'en')).toBe('No power sensor here: estimated from CPU load and the processor’s rated power, plus a fixed guess for memory.');
    expect(plainEnergySentence([cpu], 'fr')).toBe('Pas de capteur de puissance ici : estimation à partir de la charge du processeur et de sa puissance nominale.');
    const pkg = { source: 'rapl', boundary: 'cpu-package', method: 'counter' };
    const core = { source: 'rapl', boundary: 'cpu-cores', method: 'counter', countsTowardTotal: false };
    expect(plainEnergySentence([pkg, core], 'en')).toBe('Measured by the CPU’s energy counter: CPU package only.');
    const gpu = { source: 'nvidia', boundary: 'gpu-board', method: 'integrated-power' };
    expect(plainEnergySentence([cpu, gpu], 'en')).toBe(
      'Partly measured, partly estimated: the NVIDIA graphics card’s power sensor measured GPU board; CPU package estimated from CPU load and the processor’s rated power.',
    );
    expect(plainEnergySentence([], 'fr')).toBe('Énergie non mesurée pour cette exécution : aucun capteur lu, aucune estimation faite.');
    expect([energyBasisOf(null, [pkg, core]), energyBasisOf(null, [cpu, gpu]), energyBasisOf(null, []), energyBasisOf('estimate', [pkg])]).toEqual(['measured', 'mixed', 'none', 'estimate']);
  });
});
