// The models on this disk join the advice: a real discovery of a models folder holding the fixture models and a
// truncated copy; readable ones become candidates with their header's size and parameters, the damaged one not.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advise } from '../../lib/advise/advise';
import { diskCandidates } from '../../lib/advise/diskCandidates';
import type { MachineProfileFit } from '../../lib/domain/jsonColumns';
import { discoverModels } from '../../lib/model/discoverModels';
import { RANDOM_MODEL, STORIES_MODEL, makeTempDir } from '../helpers/paths';

const PROFILE: MachineProfileFit = {
  version: 1,
  generation: { interceptS: 0.002, slopeS: 1 / 20e9, residualRel: 0.05, points: 4, bandwidthBytesPerSec: 20e9 },
  prompt: { interceptS: 0.0001, slopeS: 1 / 200e9, residualRel: 0.08, points: 4, flopsPerSec: 200e9 },
  prefillWatts: null,
  decodeWatts: null,
  heldOut: { runId: 2, modelLabel: 'forge-250M', modelBytes: 5e8, genError: 0.06, promptError: 0.1, predictedGenTokensPerSec: 1, measuredGenTokensPerSec: 1, predictedPromptTokensPerSec: 1, measuredPromptTokensPerSec: 1 },
  bytesRange: [5e7, 1e9],
  points: [],
};

describe('models on this disk as advice candidates', () => {
  const dir = makeTempDir('disk-candidates');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adds the readable ones, with their size and parameters, and leaves damaged files out', async () => {
    const models = path.join(dir, 'models');
    fs.mkdirSync(models);
    fs.copyFileSync(STORIES_MODEL, path.join(models, 'stories260K.gguf'));
    fs.copyFileSync(RANDOM_MODEL, path.join(models, 'tiny-random.gguf'));
    const bytes = fs.readFileSync(STORIES_MODEL);
    fs.writeFileSync(path.join(models, 'truncated.gguf'), bytes.subarray(0, Math.floor(bytes.length / 3)));
    const empty = path.join(dir, 'empty');
    const discovery = await discoverModels({ kind: 'free RAM', bytes: 8e9, description: 'free RAM' }, { cwd: empty, home: empty, env: { NODE_ENV: 'test', WATTBENCH_MODELS_DIR: models } });
    const candidates = diskCandidates(discovery.models);
    expect(candidates.map((c) => path.basename(c.source.split(': ').pop()!)).sort()).toEqual(['stories260K.gguf', 'tiny-random.gguf']);
    for (const c of candidates) {
      const found = discovery.models.find((m) => m.path === c.source.split(': ').pop())!;
      expect(c).toMatchObject({ origin: 'disk', sizeBytes: found.sizeBytes, parameters: found.parameters });
      expect(c.parameters).toBeGreaterThan(0);
    }
    // And the advice predicts them like any other model.
    const { ranked } = advise(candidates, PROFILE, { ramBytes: 8e9, vramBytes: null }, 'speed');
    expect(ranked.map((a) => a.candidate.origin)).toEqual(['disk', 'disk']);
    for (const a of ranked) expect(a.genTokensPerSec.value).toBeGreaterThan(0);
  });
});
