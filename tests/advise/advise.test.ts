// The advisor on a fixed profile and the real catalogue: deterministic, fits before non-fits, ordered for each
// goal, monotonic in size, bands around every prediction. No figure is recomputed here: orderings and relations.
import { describe, expect, it } from 'vitest';
import { advise, adviseOne, bandFor, kvCacheBytes, READING_TOKENS_PER_SEC, type Candidate, type MemoryBudget } from '../../lib/advise/advise';
import { catalogueCandidates } from '../../lib/advise/catalogue';
import type { MachineProfileFit } from '../../lib/domain/jsonColumns';
import catalogueJson from '../../lib/advise/catalogue.json';

/** A laptop-like profile: 20 GB/s, 200 GFLOP/s, 12 W while generating, fitted on 50 MB – 1 GB. */
const PROFILE: MachineProfileFit = {
  version: 1,
  generation: { interceptS: 0.002, slopeS: 1 / 20e9, residualRel: 0.05, points: 4, bandwidthBytesPerSec: 20e9 },
  prompt: { interceptS: 0.0001, slopeS: 1 / 200e9, residualRel: 0.08, points: 4, flopsPerSec: 200e9 },
  prefillWatts: { meanW: 18, sdW: 1, points: 4, sources: [{ source: 'rapl', boundary: 'cpu-package', method: 'counter', estimateModel: null }], basis: 'measured' },
  decodeWatts: { meanW: 12, sdW: 1.5, points: 4, sources: [{ source: 'rapl', boundary: 'cpu-package', method: 'counter', estimateModel: null }], basis: 'measured' },
  heldOut: { runId: 2, modelLabel: 'forge-250M', modelBytes: 5e8, genError: 0.06, promptError: 0.1, predictedGenTokensPerSec: 1, measuredGenTokensPerSec: 1, predictedPromptTokensPerSec: 1, measuredPromptTokensPerSec: 1 },
  bytesRange: [5e7, 1e9],
  points: [],
};
const LAPTOP: MemoryBudget = { ramBytes: 6e9, vramBytes: null };
const CATALOGUE = catalogueCandidates();

describe('the catalogue', () => {
  it('covers the families asked for, each file with a size and an https source', () => {
    const families = new Set(CATALOGUE.map((c) => c.name.split(' ')[0]));
    for (const f of ['Llama', 'Qwen2.5', 'Qwen3', 'Gemma', 'Mistral', 'Phi-4']) expect(families).toContain(f);
    for (const c of CATALOGUE) {
      expect(c.sizeBytes).toBeGreaterThan(1e8);
      expect(c.source).toMatch(/^https:\/\/huggingface\.co\//);
      // A GGUF holds 2 to 16.5 bits per weight: a size outside that is a typo in the data.
      expect(c.sizeBytes / c.parameters).toBeGreaterThan(0.25);
      expect(c.sizeBytes / c.parameters).toBeLessThan(2.1);
    }
    expect(new Set(CATALOGUE.map((c) => c.id)).size).toBe(CATALOGUE.length);
    expect(catalogueJson.models.every((m) => m.configSource.startsWith('https://huggingface.co/'))).toBe(true);
  });
});

describe('advise', () => {
  it('ranks the same catalogue the same way every time', () => {
    const a = advise(CATALOGUE, PROFILE, LAPTOP, 'speed').ranked.map((x) => x.candidate.id);
    const b = advise([...CATALOGUE].reverse(), PROFILE, LAPTOP, 'speed').ranked.map((x) => x.candidate.id);
    expect(b).toEqual(a);
  });

  it('says which fit in 6 GB, and ranks them all before the others', () => {
    const { ranked } = advise(CATALOGUE, PROFILE, LAPTOP, 'speed');
    const byId = new Map(ranked.map((x) => [x.candidate.id, x]));
    expect(byId.get('llama-3.2-1b-instruct:q4_k_m')!.fits).toBe(true);
    expect(byId.get('llama-3.1-8b-instruct:q4_k_m')!.fits).toBe(true);
    expect(byId.get('llama-3.1-8b-instruct:q8_0')!.fits).toBe(false);
    expect(byId.get('qwen3-32b:q4_k_m')!.fits).toBe(false);
    const firstMiss = ranked.findIndex((x) => !x.fits);
    expect(firstMiss).toBeGreaterThan(0);
    expect(ranked.slice(firstMiss).every((x) => !x.fits)).toBe(true);
    for (const x of ranked) expect(x.fits).toBe(x.needBytes <= LAPTOP.ramBytes);
  });

  it('counts the VRAM of a GPU: a model too big for the RAM fits on a 24 GB card', () => {
    const big = CATALOGUE.find((c) => c.id === 'qwen3-32b:q4_k_m')!;
    const a = adviseOne(big, PROFILE, { ramBytes: 6e9, vramBytes: 24e9 });
    expect(a).toMatchObject({ fitsRam: false, fitsVram: true, fits: true });
    expect(adviseOne(big, PROFILE, LAPTOP).fitsVram).toBeNull();
  });

  it('speed: fastest first among those that fit', () => {
    const fitting = advise(CATALOGUE, PROFILE, LAPTOP, 'speed').ranked.filter((x) => x.fits);
    for (let i = 1; i < fitting.length; i++) expect(fitting[i].genTokensPerSec.value).toBeLessThanOrEqual(fitting[i - 1].genTokensPerSec.value);
  });

  it('energy: fewest joules per 1,000 tokens first, labelled with the profile’s source', () => {
    const { ranked, pick } = advise(CATALOGUE, PROFILE, LAPTOP, 'energy');
    const fitting = ranked.filter((x) => x.fits);
    for (let i = 1; i < fitting.length; i++) expect(fitting[i].joulesPer1000Tokens!.value).toBeGreaterThanOrEqual(fitting[i - 1].joulesPer1000Tokens!.value);
    expect(pick!.energy).toMatchObject({ basis: 'measured', sources: [{ source: 'rapl' }] });
  });

  it('largest: the largest model at reading speed; none of the fitting ones at reading speed is larger', () => {
    const { ranked, pick } = advise(CATALOGUE, PROFILE, LAPTOP, 'largest');
    expect(pick).not.toBeNull();
    expect(pick!.genTokensPerSec.value).toBeGreaterThanOrEqual(READING_TOKENS_PER_SEC);
    const readable = ranked.filter((x) => x.fits && x.genTokensPerSec.value >= READING_TOKENS_PER_SEC);
    for (const x of readable) expect(x.candidate.parameters).toBeLessThanOrEqual(pick!.candidate.parameters);
    // A slower machine (a tenth of the bandwidth) settles for a smaller model.
    const slow = { ...PROFILE, generation: { ...PROFILE.generation, slopeS: PROFILE.generation.slopeS * 10 } };
    const slowPick = advise(CATALOGUE, slow, LAPTOP, 'largest').pick;
    expect(slowPick === null || slowPick.candidate.parameters < pick!.candidate.parameters).toBe(true);
  });

  it('is monotonic: a larger quantisation of the same model is slower, costs more joules and needs more memory', () => {
    const q4 = adviseOne(CATALOGUE.find((c) => c.id === 'llama-3.1-8b-instruct:q4_k_m')!, PROFILE, LAPTOP);
    const q8 = adviseOne(CATALOGUE.find((c) => c.id === 'llama-3.1-8b-instruct:q8_0')!, PROFILE, LAPTOP);
    expect(q8.genTokensPerSec.value).toBeLessThan(q4.genTokensPerSec.value);
    expect(q8.joulesPer1000Tokens!.value).toBeGreaterThan(q4.joulesPer1000Tokens!.value);
    expect(q8.needBytes).toBeGreaterThan(q4.needBytes);
    // More parameters, longer time to first token.
    const small = adviseOne(CATALOGUE.find((c) => c.id === 'llama-3.2-1b-instruct:q8_0')!, PROFILE, LAPTOP);
    expect(q4.ttftMs.value).toBeGreaterThan(small.ttftMs.value);
  });

  it('puts a band around every prediction, wider beyond the sizes probed', () => {
    for (const x of advise(CATALOGUE, PROFILE, LAPTOP, 'speed').ranked) {
      for (const b of [x.genTokensPerSec, x.ttftMs, x.joulesPer1000Tokens!]) {
        expect(b.low).toBeLessThanOrEqual(b.value);
        expect(b.high).toBeGreaterThan(b.value);
      }
    }
    const inside = adviseOne(CATALOGUE.find((c) => c.id === 'qwen2.5-0.5b-instruct:q4_k_m')!, PROFILE, LAPTOP);
    const beyond = adviseOne(CATALOGUE.find((c) => c.id === 'llama-3.1-8b-instruct:q4_k_m')!, PROFILE, LAPTOP);
    expect(inside.extrapolated).toBe(false);
    expect(beyond.extrapolated).toBe(true);
    expect(beyond.genTokensPerSec.bandRel).toBeGreaterThan(inside.genTokensPerSec.bandRel);
    expect(bandFor(0.1, 0.05, 4e9, 1e9)).toBeGreaterThan(bandFor(0.1, 0.05, 2e9, 1e9));
    expect(bandFor(0.2, 0.05, 5e8, 1e9)).toBeGreaterThan(bandFor(0.1, 0.05, 5e8, 1e9));
  });

  it('without energy in the profile, says so instead of guessing', () => {
    const a = adviseOne(CATALOGUE[0], { ...PROFILE, decodeWatts: null }, LAPTOP);
    expect(a.joulesPer1000Tokens).toBeNull();
    expect(a.energy).toBeNull();
  });

  it('sizes the KV cache from the shape, and from the file when the shape is unknown', () => {
    const known: Candidate = { ...CATALOGUE[0], layers: 32, kvDim: 1024 };
    expect(kvCacheBytes(known, 4096)).toBe(2 * kvCacheBytes(known, 2048));
    expect(kvCacheBytes({ ...known, layers: null, kvDim: null })).toBeGreaterThan(0);
  });
});
