// The probe's ladder is one family: every rung as deep, only the width scaled, so the per-layer cost the
// generation line has no term for is the same on every rung (in the intercept), not in the slope.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heldOutRung, probeLadder } from '../../lib/advise/runProbe';
import { ladderEmbeddingShape, ladderFileName, ladderShape, PROBE_LAYERS } from '../../lib/advise/probeLadder';
import { countParameters, shapeProblem } from '../../lib/forge/forgeLlamaModel';
import { forgedShape } from '../../lib/records/machineProfiles';

const ALL = { maxBytes: 1e12, freeMemoryBytes: 1e13, freeDiskBytes: 1e13, dir: '/cache', rungs: 9 };

describe('probeLadder', () => {
  const ladder = probeLadder(ALL);
  const shapes = ladder.map((r) => ladderShape(r.targetParameters));

  it('keeps the depth and the head layout of every rung, and scales the width alone', () => {
    expect(ladder.length).toBe(9);
    for (const s of shapes) {
      expect(s.layers).toBe(PROBE_LAYERS);
      expect(s.embd / s.heads).toBe(64);
      expect(s.kvHeads).toBe(s.heads);
      expect(shapeProblem(s, 'f16')).toBeNull();
    }
    for (let i = 1; i < shapes.length; i++) expect(shapes[i].embd).toBeGreaterThan(shapes[i - 1].embd);
  });

  it('lands each rung near its size (a factor of two apart), and names its file by size and depth', () => {
    for (const r of ladder) {
      expect(r.parameters).toBe(countParameters(ladderShape(r.targetParameters)));
      // The nearest 64-multiple width: within 20 % of the target from 30M up (a 64 step is coarse below).
      if (r.targetParameters >= 30e6) expect(Math.abs(r.parameters / r.targetParameters - 1)).toBeLessThan(0.2);
      expect(path.basename(r.file)).toMatch(new RegExp(`^probe-\\d+[MB]-L${PROBE_LAYERS}-f16\\.gguf$`));
      expect(path.dirname(r.file)).toBe('/cache');
    }
    expect(path.basename(ladder[2].file)).toBe(ladderFileName(60e6));
  });

  it('gives the fit the embedding shape of a rung from its file name, and of the forge’s older names still', () => {
    const rung = ladderShape(250e6);
    expect(ladderEmbeddingShape(ladderFileName(250e6))).toEqual({ vocab: rung.vocab, embd: rung.embd, tied: false });
    expect(forgedShape(ladderFileName(250e6))).toEqual({ vocab: rung.vocab, embd: rung.embd, tied: false });
    expect(ladderEmbeddingShape('forge-250M-f16.gguf')).toBeNull();
    expect(forgedShape('forge-250M-f16.gguf')).not.toBeNull();
    expect(forgedShape('llama-3.2-1b.gguf')).toBeNull();
  });

  it('takes the largest rungs within the budget and holds out an interior one', () => {
    const four = probeLadder({ ...ALL, maxBytes: 1.1e9, rungs: 4 });
    expect(four).toHaveLength(4);
    expect(four.every((r) => r.bytes <= 1.1e9)).toBe(true);
    expect(four[3].bytes * 2).toBeGreaterThan(1.1e9);
    expect(heldOutRung(four)).toBe(four[2]);
  });
});
