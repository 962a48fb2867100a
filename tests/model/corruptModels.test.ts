// GGUFs whose header reads fine but that llama.cpp cannot load: impossible hyperparameters (which abort the
// process inside llama.cpp, exit 134, without a word), an unknown architecture, a future version, a truncated
// last tensor. Each is a byte-level edit of the real stories260K, run through the real CLI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { STORIES_MODEL, RANDOM_MODEL, makeTempDir } from '../helpers/paths';
import { patchGguf } from '../helpers/patchGguf';
import { runCli } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';
import { queryDb } from '../helpers/queryDb';
import { inspectModelFile } from '../../lib/model/inspectModelFile';

const dir = makeTempDir('corrupt');
const db = path.join(dir, 'runs.db');
const out = (name: string) => path.join(dir, `${name}.gguf`);

const DAMAGED_FIX = /; download it again or pass --model with the path of a \.gguf model file$/;
const UNSUPPORTED_FIX = /; update node-llama-cpp, or pass --model with the path of a \.gguf model file that it supports$/;

const cases: Array<{ name: string; file: () => string; problem: RegExp; fix: RegExp; binary?: true }> = [
  {
    name: 'block_count 0',
    binary: true,
    file: () => patchGguf(STORIES_MODEL).setInt('llama.block_count', 0).write(out('block-count-0')),
    problem: /is not a usable model: llama\.block_count is 0; it must be 1 to 512/,
    fix: DAMAGED_FIX,
  },
  {
    name: 'head_count not dividing the embedding length',
    // 64 / 7 is no whole head size; 7 is also not a multiple of the 4 KV heads, but the first problem is named.
    file: () => patchGguf(STORIES_MODEL).setInt('llama.attention.head_count', 7).write(out('head-count-7')),
    problem: /llama\.attention\.head_count \(7\) does not divide llama\.embedding_length \(64\)/,
    fix: DAMAGED_FIX,
  },
  {
    name: 'head_count_kv 0 (a GGML_ASSERT in llama.cpp)',
    file: () => patchGguf(STORIES_MODEL).setInt('llama.attention.head_count_kv', 0).write(out('head-count-kv-0')),
    problem: /llama\.attention\.head_count_kv is 0; it must be 1 or more/,
    fix: DAMAGED_FIX,
  },
  {
    name: 'a token embedding with fewer rows than the vocabulary',
    file: () => patchGguf(STORIES_MODEL).setTensorDim('token_embd.weight', 1, 511).write(out('vocab-mismatch')),
    problem: /tensor token_embd\.weight is 64 × 511 but its hyperparameters make it 64 × 512 \(llama\.embedding_length × vocabulary size, tokenizer\.ggml\.tokens\)/,
    fix: DAMAGED_FIX,
  },
  {
    name: 'an unknown architecture',
    file: () => patchGguf(STORIES_MODEL).setString('general.architecture', 'llamz').write(out('unknown-arch')),
    problem: /cannot be loaded by this llama\.cpp: its architecture "llamz" is unknown to this llama\.cpp build/,
    fix: UNSUPPORTED_FIX,
  },
  {
    name: 'GGUF version 99',
    file: () => patchGguf(STORIES_MODEL).setVersion(99).write(out('version-99')),
    problem: /cannot be loaded by this llama\.cpp: it is GGUF version 99, and this llama\.cpp reads versions 2 and 3/,
    fix: UNSUPPORTED_FIX,
  },
  {
    name: 'a truncated last tensor',
    file: () => patchGguf(STORIES_MODEL).truncate(16).write(out('truncated-last')),
    problem: /is not a usable model: it is truncated: tensor blk\.4\.ffn_norm\.weight's data ends at byte \d+ but the file has \d+ bytes/,
    fix: DAMAGED_FIX,
  },
  {
    // Past every check of ours: llama.cpp itself refuses it while loading, and logs why. Its reason, not its
    // log lines, makes the one line.
    name: 'a tokenizer llama.cpp does not know',
    binary: true,
    file: () => patchGguf(STORIES_MODEL).setString('tokenizer.ggml.model', 'xxxxx').write(out('unknown-tokenizer')),
    problem: /cannot load .*: llama\.cpp: error loading model vocabulary: unknown tokenizer: 'xxxxx'/,
    fix: /; the file may be truncated or of an unsupported architecture — pass --model with another \.gguf file$/,
  },
];

describe('a GGUF llama.cpp cannot load, through wattbench run', () => {
  for (const c of cases) {
    it(`${c.name}: exit 2, one line naming the problem and the fix`, async () => {
      const model = c.file();
      const args = ['run', '--model', model, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--db', db];
      // Through the real binary where llama.cpp's native code would run (it aborts on block_count 0, and loads
      // the unknown tokenizer before refusing it: its log lines must not reach the terminal); the other checks
      // end in JavaScript before anything native, so the CLI's main runs them in this process.
      const res = c.binary ? await runCli(args) : await runCliInProcess(args);
      expect(res.signal).toBeNull();
      expect(res.code).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines, res.stderr).toHaveLength(1);
      expect(lines[0].startsWith(`error: ${model} `) || lines[0].startsWith(`error: cannot load ${model}: `), lines[0]).toBe(true);
      expect(lines[0]).toMatch(c.problem);
      expect(lines[0]).toMatch(c.fix);
      expect(res.stdout).toBe('');
    });
  }

  it('stored no run for any of them', () => {
    expect(queryDb<{ n: number }>(db, 'select count(*) n from runs')).toEqual([{ n: 0 }]);
  });
});

describe('the structure check passes sound models', () => {
  it('accepts both fixture models and a copy with its byte-level edit undone', async () => {
    await expect(inspectModelFile(STORIES_MODEL)).resolves.toBeDefined();
    await expect(inspectModelFile(RANDOM_MODEL)).resolves.toBeDefined();
    // The patcher itself changes only what it is told: setting a key to its own value leaves the file identical.
    const same = patchGguf(STORIES_MODEL).setInt('llama.block_count', 5).write(out('same'));
    expect(fs.readFileSync(same).equals(fs.readFileSync(STORIES_MODEL))).toBe(true);
  });
});
