// Offline: a model that must be downloaded cannot be, and the user is told how to pass a local file.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, STORIES_MODEL } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';

// A closed port on this machine stands in for an unreachable server, whatever the real network is.
const UNREACHABLE = 'http://127.0.0.1:9/';

describe('model downloads when offline', () => {
  const dir = makeTempDir('offline');
  const env = { HF_ENDPOINT: UNREACHABLE, WATTBENCH_MODELS_DIR: path.join(dir, 'models') };

  for (const model of ['hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M', 'hf:owner/repo/file.gguf', `${UNREACHABLE}model.gguf`]) {
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

describe('malformed model specs', () => {
  const dir = makeTempDir('malformed');
  const env = { HF_ENDPOINT: UNREACHABLE, WATTBENCH_MODELS_DIR: path.join(dir, 'models') };

  // Rejected for their syntax, offline or not: exit 2 (bad input), before anything is fetched or downloaded.
  for (const [model, why] of [
    ['hf:owner', /an hf: model needs an owner and a repository/],
    ['hf:owner/repo:', /nothing follows the ":"/],
    ['hf:owner/repo/notes.txt', /"notes\.txt" is not a \.gguf file/],
  ] as const) {
    it(`${model}: one line naming the accepted forms, exit 2`, async () => {
      // Its own database path: a malformed spec is bad input, reported before any file is created.
      const db = path.join(dir, `malformed-${model.replace(/\W+/g, '-')}.db`);
      const args = ['run', '--model', model, '--suite', 'smoke', '--db', db, '--json'];
      // The first through the real binary, the others through the CLI's main in this process.
      const res = model === 'hf:owner' ? await runCli(args, env) : await runCliInProcess(args, env);
      expect(res.code).toBe(2);
      expect(fs.existsSync(db)).toBe(false);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^error: --model "${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not a valid model: `));
      expect(lines[0]).toMatch(why);
      expect(lines[0]).toMatch(/pass a local \.gguf path, hf:owner\/repo, hf:owner\/repo:quant .*hf:owner\/repo\/file\.gguf, ollama:name\[:tag\] .*or an https:\/\/ URL/);
      expect(res.stdout).toBe('');
    });
  }

  it('downloaded nothing and created nothing', () => {
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('wattbench demo when offline and without a model', () => {
  it('forges a synthetic model, says plainly what it is, benchmarks it; the next demo reuses it', async () => {
    const dir = makeTempDir('demo-offline');
    const models = path.join(dir, 'models');
    const env = { HF_ENDPOINT: UNREACHABLE, WATTBENCH_MODELS_DIR: models, WATTBENCH_MODEL: undefined };
    const args = ['demo', '--no-serve', '--suite', 'smoke', '--reps', '1', '--db', path.join(dir, 'a.db')];
    const res = await runCli(args, env);
    expect(res.code).toBe(0);
    const lines = res.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/No model found in .*downloading hf:Qwen\/Qwen2\.5-0\.5B-Instruct-GGUF:Q4_K_M/);
    expect(lines[1]).toMatch(/^It cannot be downloaded \(.*unreachable.*\)\.$/);
    expect(lines[2]).toMatch(/^Forging a synthetic 10M-parameter Q8_0 model instead \([\d.]+\sMiB, no network needed\)…$/);
    expect(lines[3]).toMatch(/^Synthetic model: random weights\. Its speed, memory and energy per token are real .*gibberish\. For real answers: put any \.gguf file in .*models .*or pass --model path\/to\/model\.gguf\.$/);
    expect(lines[4]).toMatch(/^Model: .*models\/synthetic\/wattbench-forge-10M-q8_0\.gguf$/);
    expect(lines[lines.length - 1]).toMatch(/^Benchmarked a synthetic model: random weights\./);
    expect(res.stdout).toMatch(/Run 1 completed/);
    // The stored run names the model for what it is.
    const run = JSON.parse((await runCli(['show', '1', '--db', path.join(dir, 'a.db'), '--json'])).stdout);
    expect(run.model.name).toMatch(/^wattbench-forge .* Q8_0 \(synthetic: random weights, not a language model\)$/);
    // Out of findLocalModel's sight: the next demo tries the download again, then reuses the forged file.
    expect(fs.readdirSync(models)).toEqual(['synthetic']);
    const mtime = fs.statSync(path.join(models, 'synthetic', 'wattbench-forge-10M-q8_0.gguf')).mtimeMs;
    const again = await runCli(args, env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/Forging/);
    expect(again.stderr).toMatch(/It cannot be downloaded[^]*Synthetic model: random weights/);
    expect(fs.statSync(path.join(models, 'synthetic', 'wattbench-forge-10M-q8_0.gguf')).mtimeMs).toBe(mtime);
  });

  it('a synthetic model that cannot be written either: one line saying how to get a model, exit 1', async () => {
    const dir = makeTempDir('demo-offline-nowrite');
    // The models folder is a file: neither a download nor a forge can put anything in it.
    const models = path.join(dir, 'models');
    fs.writeFileSync(models, '');
    const res = await runCli(['demo', '--no-serve', '--db', path.join(dir, 'a.db')], { HF_ENDPOINT: UNREACHABLE, WATTBENCH_MODELS_DIR: models, WATTBENCH_MODEL: undefined });
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^error: no model to benchmark, the recommended one cannot be downloaded and a synthetic one cannot be written \(.*\); put any \.gguf file in .*models.*or pass --model path\/to\/model\.gguf$/);
    expect(lines).toHaveLength(3);
  });

  it('uses the first model it finds in the models folder', async () => {
    const dir = makeTempDir('demo-local');
    const models = path.join(dir, 'models');
    fs.mkdirSync(models);
    fs.copyFileSync(STORIES_MODEL, path.join(models, 'stories260K.gguf'));
    const res = await runCli(['demo', '--no-serve', '--suite', 'smoke', '--reps', '1', '--db', path.join(dir, 'a.db')], {
      HF_ENDPOINT: UNREACHABLE,
      WATTBENCH_MODELS_DIR: models,
      WATTBENCH_MODEL: undefined,
    });
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/Model: .*stories260K\.gguf/);
    expect(res.stdout).toMatch(/Run 1 completed/);
  });
});
