// findStructureProblem on the real stories260K header with one hyperparameter changed at a time: the checks that
// byte-level patches of the file cannot reach (keys the file lacks, per-layer arrays, unknown tensor types).
import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import { findStructureProblem } from '../../lib/model/checkModelStructure';
import { knownArchitectures } from '../../lib/model/knownArchitectures';
import { STORIES_MODEL, RANDOM_MODEL } from '../helpers/paths';

const size = fs.statSync(STORIES_MODEL).size;
const original = await readGgufFileInfo(STORIES_MODEL, { readTensorInfo: true, logWarnings: false });

/** A deep copy of stories260K's header with `edit` applied to its llama.* metadata (and the rest, if it likes). */
function withLlama(edit: (llama: Record<string, unknown>, info: GgufFileInfo) => void): GgufFileInfo {
  const info = structuredClone(original) as GgufFileInfo;
  edit((info.metadata as unknown as { llama: Record<string, unknown> }).llama, info);
  return info;
}

describe('findStructureProblem', () => {
  it('passes the sound fixture models', async () => {
    expect(findStructureProblem(original, size)).toBeNull();
    const random = await readGgufFileInfo(RANDOM_MODEL, { readTensorInfo: true, logWarnings: false });
    expect(findStructureProblem(random, fs.statSync(RANDOM_MODEL).size)).toBeNull();
  });

  it('knows the architectures of this llama.cpp build, including those newer than node-llama-cpp\'s enum', () => {
    const known = knownArchitectures();
    expect(known.has('llama')).toBe(true);
    expect(known.has('qwen2')).toBe(true);
    expect(known.has('llamz')).toBe(false);
  });

  const cases: Array<[string, (llama: Record<string, unknown>, info: GgufFileInfo) => void, RegExp]> = [
    ['no block_count', (l) => delete l.block_count, /^llama\.block_count is missing$/],
    ['more nextn layers than layers', (l) => (l.nextn_predict_layers = 6), /^llama\.nextn_predict_layers is 6, more than llama\.block_count \(5\)$/],
    ['more experts used than there are', (l) => Object.assign(l, { expert_count: 4, expert_used_count: 8 }), /^llama\.expert_used_count is 8, more than llama\.expert_count \(4\)$/],
    ['experts but none used', (l) => (l.expert_count = 4), /^llama\.expert_used_count is 0 \(or missing\) for a model of 4 experts/],
    ['an unknown rope scaling', (l) => ((l.rope as Record<string, unknown>).scaling = { type: 'spiral' }), /^llama\.rope\.scaling\.type is "spiral"; it must be one of none, linear, yarn, longrope$/],
    ['a per-layer head count with a zero', (l) => ((l.attention as Record<string, unknown>).head_count = [8, 8, 0, 8, 8]), /^llama\.attention\.head_count is 0; it must be 1 or more$/],
    ['a rope dimension other than the head size', (l) => ((l.rope as Record<string, unknown>).dimension_count = 16), /^llama\.rope\.dimension_count is 16; it must equal the head size, 8/],
    ['fewer layers declared than the file holds', (l) => (l.block_count = 4), /^llama\.block_count is 4 but the file has tensors for layer 4$/],
    ['more layers declared than the file holds', (l) => (l.block_count = 6), /^llama\.block_count is 6 but the file has no tensors for layer 5$/],
    ['a feed-forward length the tensors do not have', (l) => (l.feed_forward_length = 128), /^tensor blk\.0\.ffn_gate\.weight is 64 × 172 but its hyperparameters make it 64 × 128/],
    ['a declared vocabulary size the embedding does not have', (l) => (l.vocab_size = 600), /^tensor token_embd\.weight is 64 × 512 but its hyperparameters make it 64 × 600 \(llama\.embedding_length × vocabulary size, llama\.vocab_size\)$/],
    ['a misaligned tensor', (_l, info) => { (info.fullTensorInfo![3] as { offset: number }).offset += 4; }, /^tensor blk\.0\.attn_q\.weight's data is not aligned to 32 bytes$/],
    ['a tensor that overlaps its predecessor', (_l, info) => { (info.fullTensorInfo![3] as { offset: number }).offset -= 32; }, /^tensor blk\.0\.attn_q\.weight's data starts at byte \d+ of the data section where its predecessors end at \d+$/],
  ];
  for (const [name, edit, problem] of cases) {
    it(name, () => {
      const found = findStructureProblem(withLlama(edit), size);
      expect(found?.kind).toBe('damaged');
      expect(found?.reason).toMatch(problem);
    });
  }

  it('a tensor type it has no size for is left to llama.cpp, and the tensors after it are not misjudged', () => {
    const info = withLlama((_l, i) => { (i.fullTensorInfo![3] as { ggmlType: number }).ggmlType = 42; });
    expect(findStructureProblem(info, size)).toBeNull();
  });
});
