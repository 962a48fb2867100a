// Offline: a model that must be downloaded cannot be, and the user is told how to pass a local file.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';

// A closed port on this machine stands in for an unreachable server, whatever the real network is.
const UNREACHABLE = 'http://127.0.0.1:9/';

describe('model downloads when offline', () => {
  const dir = makeTempDir('offline');
  const env = { HF_ENDPOINT: UNREACHABLE, WATTBENCH_MODELS_DIR: path.join(dir, 'models') };

  for (const model of ['hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M', `${UNREACHABLE}model.gguf`]) {
    it(`${model}: one line saying how to pass a local file, exit 1, no run stored`, async () => {
      const res = await runCli(['run', '--model', model, '--suite', 'smoke', '--db', path.join(dir, 'a.db'), '--json'], env);
      expect(res.code).toBe(1);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: cannot download .*unreachable.*pass --model \/path\/to\/model\.gguf/);
      expect(res.stdout).toBe('');
      const list = await runCli(['list', '--db', path.join(dir, 'a.db'), '--json']);
      expect(JSON.parse(list.stdout)).toEqual([]);
    });
  }
});
