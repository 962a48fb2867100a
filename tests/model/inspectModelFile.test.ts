import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { inspectModelFile } from '../../lib/model/inspectModelFile';
import { findLocalModel } from '../../lib/model/findLocalModel';
import { resolveModelPath } from '../../lib/model/resolveModelPath';
import { STORIES_MODEL, RANDOM_MODEL, makeTempDir } from '../helpers/paths';

describe('inspectModelFile on the real tiny models', () => {
  it('reads stories260K: llama, all F32, 2048 context, no chat template, its sha256', async () => {
    const { facts } = await inspectModelFile(STORIES_MODEL);
    expect(facts).toMatchObject({
      fileName: 'stories260K.gguf',
      architecture: 'llama',
      type: 'F32',
      contextLength: 2048,
      hasChatTemplate: false,
      sizeBytes: fs.statSync(STORIES_MODEL).size,
      sha256: crypto.createHash('sha256').update(fs.readFileSync(STORIES_MODEL)).digest('hex'),
    });
    // 5 layers of dim 64 plus a 512-token embedding and output: a few hundred thousand parameters.
    expect(facts.parameters).toBeGreaterThan(250_000);
    expect(facts.parameters).toBeLessThan(350_000);
  });

  it('reads llama-2-tiny-random: F16 file type, 4096 context, LLaMA v2 name', async () => {
    const { facts } = await inspectModelFile(RANDOM_MODEL);
    expect(facts).toMatchObject({ type: 'F16', contextLength: 4096, name: 'LLaMA v2', hasChatTemplate: false });
    // almost all of it is the 32,000 × 8 embedding and output matrices: 2 × 256,000.
    expect(facts.parameters).toBeGreaterThan(2 * 32_000 * 8);
  });
});

describe('model discovery', () => {
  it('finds the smallest .gguf in a folder, ignoring partial downloads and other files', () => {
    const dir = makeTempDir('models');
    expect(findLocalModel(dir)).toBeNull();
    fs.copyFileSync(RANDOM_MODEL, path.join(dir, 'b.gguf'));
    fs.copyFileSync(STORIES_MODEL, path.join(dir, 'a.gguf'));
    fs.writeFileSync(path.join(dir, 'c.gguf.partial'), 'x');
    fs.writeFileSync(path.join(dir, 'readme.txt'), 'x');
    expect(findLocalModel(dir)).toBe(path.join(dir, 'a.gguf'));
    expect(findLocalModel(path.join(dir, 'missing'))).toBeNull();
  });

  it('keeps local paths as they are and fails fast with the fix when a download cannot happen', async () => {
    expect(await resolveModelPath('some/file.gguf')).toBe(path.resolve('some/file.gguf'));
    await expect(resolveModelPath('https://127.0.0.1:9/model.gguf', { directory: makeTempDir('dl'), connectTimeoutMs: 5000 })).rejects.toThrow(
      /unreachable.*--model \/path\/to\/model\.gguf/,
    );
  });
});
