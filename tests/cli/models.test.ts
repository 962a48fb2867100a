// `wattbench models` on fixture stores laid out as Ollama, LM Studio, node-llama-cpp and the Hugging Face cache
// lay them out, built from the committed tiny models in a temporary HOME; and `run --model ollama:NAME` on that store.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { readGgufFileInfo } from 'node-llama-cpp';
import { RANDOM_MODEL, STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { patchGguf } from '../helpers/patchGguf';
import { queryDb } from '../helpers/queryDb';

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

interface Listed {
  name: string;
  store: string;
  path: string;
  status: 'ok' | 'partial' | 'unreadable';
  problem: string | null;
  architecture: string | null;
  parameters: number | null;
  quantization: string | null;
  sizeBytes: number | null;
  contextLength: number | null;
  chatTemplate: string | null;
  parts: number;
  alsoAt: Array<{ name: string; store: string; path: string }>;
  fit: { contextTokens: number; kvCacheBytes: number; neededBytes: number; formula: string; budget: string; budgetBytes: number; fits: boolean } | null;
}

const root = makeTempDir('model-stores');
const home = path.join(root, 'home');
const cwd = path.join(root, 'project');
const hfHome = path.join(root, 'hf-home');
const ollama = path.join(home, '.ollama', 'models');
const storiesDigest = sha256(STORIES_MODEL);
const storiesBlob = path.join(ollama, 'blobs', `sha256-${storiesDigest}`);
const randomDigest = sha256(RANDOM_MODEL);
const hfRepo = path.join(hfHome, 'hub', 'models--tiny-org--llama-2-tiny-random-GGUF');
const revisions = ['4f8c1d0a9e7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d', '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'];

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The environment of every child: a fake HOME and nothing of the real stores. */
const env = {
  HOME: home,
  USERPROFILE: home,
  HF_HOME: hfHome,
  HF_HUB_CACHE: undefined,
  XDG_CACHE_HOME: undefined,
  OLLAMA_MODELS: undefined,
  WATTBENCH_MODELS_DIR: path.join(cwd, 'models'),
  WATTBENCH_MODEL: undefined,
};

function write(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** An Ollama manifest as `ollama pull` writes it: config, model, template and license layers. */
function ollamaManifest(modelDigest: string, modelSize: number): string {
  const layer = (mediaType: string, text: string) => ({ mediaType, digest: `sha256:${crypto.createHash('sha256').update(text).digest('hex')}`, size: text.length });
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: layer('application/vnd.docker.container.image.v1+json', '{"model_format":"gguf","model_family":"llama"}'),
    layers: [
      { mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${modelDigest}`, size: modelSize },
      layer('application/vnd.ollama.image.template', '{{ .Prompt }}'),
      layer('application/vnd.ollama.image.license', 'MIT'),
    ],
  });
}

beforeAll(() => {
  // Ollama: blobs/sha256-<hex> (the GGUF itself) and manifests/registry.ollama.ai/<namespace>/<name>/<tag>.
  write(storiesBlob, fs.readFileSync(STORIES_MODEL));
  const manifest = ollamaManifest(storiesDigest, fs.statSync(STORIES_MODEL).size);
  for (const p of ['library/stories/latest', 'library/stories/260k', 'someone/stories-copy/q8']) write(path.join(ollama, 'manifests', 'registry.ollama.ai', p), manifest);
  const missing = 'e'.repeat(64);
  write(path.join(ollama, 'manifests', 'registry.ollama.ai', 'library', 'gone', 'latest'), ollamaManifest(missing, 1000));
  write(path.join(ollama, 'blobs', `sha256-${'d'.repeat(64)}-partial`), fs.readFileSync(STORIES_MODEL).subarray(0, 4096));

  // LM Studio: <publisher>/<repo>/<file>.gguf; a download cut short, and a file truncated inside its data.
  write(path.join(home, '.lmstudio', 'models', 'tiny-publisher', 'llama-2-tiny-random-GGUF', 'llama-2-tiny-random.gguf'), fs.readFileSync(RANDOM_MODEL));
  write(path.join(home, '.lmstudio', 'models', 'tiny-publisher', 'stories-GGUF', 'stories260K.gguf.part'), fs.readFileSync(STORIES_MODEL).subarray(0, 100_000));
  write(path.join(home, '.lmstudio', 'models', 'tiny-publisher', 'broken-GGUF', 'broken.gguf'), fs.readFileSync(STORIES_MODEL).subarray(0, 600_000));
  // A model with a chat template (ChatML's, as Qwen's GGUFs carry it).
  fs.mkdirSync(path.join(home, '.lmstudio', 'models', 'tiny-publisher', 'stories-chat-GGUF'));
  patchGguf(STORIES_MODEL).addString('tokenizer.chat_template', CHATML).write(path.join(home, '.lmstudio', 'models', 'tiny-publisher', 'stories-chat-GGUF', 'stories-chat.gguf'));

  // node-llama-cpp's folder: one part of a split model whose second part never arrived.
  write(path.join(home, '.node-llama-cpp', 'models', 'big-model-Q4_K_M-00001-of-00002.gguf'), fs.readFileSync(STORIES_MODEL));

  // Hugging Face cache: blobs/<sha256>, snapshots/<revision>/<file> relative symlinks, refs/main; two revisions of one file.
  write(path.join(hfRepo, 'blobs', randomDigest), fs.readFileSync(RANDOM_MODEL));
  write(path.join(hfRepo, 'refs', 'main'), revisions[0]);
  for (const rev of revisions) {
    fs.mkdirSync(path.join(hfRepo, 'snapshots', rev), { recursive: true });
    fs.symlinkSync(path.join('..', '..', 'blobs', randomDigest), path.join(hfRepo, 'snapshots', rev, 'llama-2-tiny-random.gguf'));
  }
  write(path.join(hfRepo, 'blobs', `${'f'.repeat(64)}.incomplete`), fs.readFileSync(RANDOM_MODEL).subarray(0, 2048));

  // ./models, which WATTBENCH_MODELS_DIR also names: searched once.
  write(path.join(cwd, 'models', 'stories260K.gguf'), fs.readFileSync(STORIES_MODEL));
});

describe('wattbench models', () => {
  let models: Listed[];
  beforeAll(async () => {
    const res = await runCli(['models', '--json'], env, { cwd });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    models = JSON.parse(res.stdout);
  });
  const byName = (name: string) => {
    const m = models.find((x) => x.name === name);
    expect(m, `${name} in ${models.map((x) => x.name).join(', ')}`).toBeDefined();
    return m!;
  };

  it('finds every model of every store once, with the facts its GGUF header gives', async () => {
    expect(models.map((m) => `${m.store} ${m.name}`).sort()).toEqual(
      [
        'models-dir stories260K.gguf',
        'node-llama-cpp big-model-Q4_K_M-00001-of-00002.gguf',
        'ollama ollama:stories:260k',
        'ollama ollama:gone:latest',
        `ollama ollama blob sha256-${'d'.repeat(12)}…`,
        'lm-studio tiny-publisher/broken-GGUF/broken.gguf',
        'lm-studio tiny-publisher/llama-2-tiny-random-GGUF/llama-2-tiny-random.gguf',
        'lm-studio tiny-publisher/stories-GGUF/stories260K.gguf.part',
        'lm-studio tiny-publisher/stories-chat-GGUF/stories-chat.gguf',
        'huggingface tiny-org/llama-2-tiny-random-GGUF (blob ffffffffffff…)',
        'huggingface tiny-org/llama-2-tiny-random-GGUF/llama-2-tiny-random.gguf',
      ].sort(),
    );
    const stories = await readGgufFileInfo(STORIES_MODEL, { logWarnings: false });
    const random = await readGgufFileInfo(RANDOM_MODEL, { logWarnings: false });
    const ollamaModel = byName('ollama:stories:260k');
    expect(ollamaModel).toMatchObject({
      status: 'ok',
      problem: null,
      path: storiesBlob,
      architecture: 'llama',
      quantization: 'F32',
      sizeBytes: fs.statSync(STORIES_MODEL).size,
      contextLength: stories.architectureMetadata.context_length,
      chatTemplate: null,
      parts: 1,
    });
    expect(ollamaModel.parameters).toBeGreaterThan(250_000);
    expect(ollamaModel.parameters).toBeLessThan(300_000);
    const lmStudio = byName('tiny-publisher/llama-2-tiny-random-GGUF/llama-2-tiny-random.gguf');
    expect(lmStudio).toMatchObject({ status: 'ok', architecture: 'llama', sizeBytes: fs.statSync(RANDOM_MODEL).size, contextLength: random.architectureMetadata.context_length, chatTemplate: null });
    // The template is named as node-llama-cpp recognises it, the wrapper a run would use.
    expect(byName('tiny-publisher/stories-chat-GGUF/stories-chat.gguf')).toMatchObject({ status: 'ok', chatTemplate: 'ChatML' });
  });

  it('lists a file reached twice once: Ollama tags of one blob, two revisions of a Hugging Face file', () => {
    const ollamaModel = byName('ollama:stories:260k');
    expect(ollamaModel.alsoAt.map((a) => a.name).sort()).toEqual(['ollama:someone/stories-copy:q8', 'ollama:stories:latest']);
    // The two snapshot links are one blob; the LM Studio copy of the same model is another file.
    const hf = byName('tiny-org/llama-2-tiny-random-GGUF/llama-2-tiny-random.gguf');
    const [first, second] = [...revisions].sort();
    expect(hf).toMatchObject({ status: 'ok', architecture: 'llama', sizeBytes: fs.statSync(RANDOM_MODEL).size, path: path.join(hfRepo, 'snapshots', first, 'llama-2-tiny-random.gguf') });
    expect(hf.alsoAt).toEqual([{ name: hf.name, store: 'huggingface', path: path.join(hfRepo, 'snapshots', second, 'llama-2-tiny-random.gguf') }]);
    const lmStudio = byName('tiny-publisher/llama-2-tiny-random-GGUF/llama-2-tiny-random.gguf');
    expect(lmStudio.alsoAt).toEqual([]);
  });

  it('lists damaged and unfinished files with the reason', () => {
    expect(byName('tiny-publisher/broken-GGUF/broken.gguf')).toMatchObject({ status: 'unreadable', architecture: null, fit: null });
    expect(byName('tiny-publisher/broken-GGUF/broken.gguf').problem).toMatch(/truncated/);
    expect(byName('tiny-publisher/stories-GGUF/stories260K.gguf.part')).toMatchObject({ status: 'partial', problem: 'unfinished download (.part file)' });
    expect(byName('ollama:gone:latest')).toMatchObject({ status: 'partial', sizeBytes: null });
    expect(byName('ollama:gone:latest').problem).toMatch(/blob sha256-eeeeeeeeeeee… is missing/);
    expect(byName(`ollama blob sha256-${'d'.repeat(12)}…`)).toMatchObject({ status: 'partial', problem: 'unfinished Ollama pull (-partial blob)' });
    expect(byName('big-model-Q4_K_M-00001-of-00002.gguf')).toMatchObject({ status: 'partial', parts: 2, problem: 'split model of 2 parts: part 2 missing' });
    expect(byName('tiny-org/llama-2-tiny-random-GGUF (blob ffffffffffff…)')).toMatchObject({ status: 'partial' });
  });

  it('says whether each usable model fits, with the formula and what it is compared with', () => {
    for (const m of models.filter((x) => x.status === 'ok')) {
      expect(m.fit, m.name).not.toBeNull();
      const fit = m.fit!;
      expect(fit.contextTokens).toBe(Math.min(2048, m.contextLength!));
      expect(fit.kvCacheBytes).toBeGreaterThan(0);
      expect(fit.neededBytes).toBeGreaterThan(m.sizeBytes! + fit.kvCacheBytes);
      expect(fit.formula).toMatch(/file \+ KV cache/);
      expect(['free RAM', 'VRAM']).toContain(fit.budget);
      expect(fit.budgetBytes).toBeGreaterThan(0);
      expect(fit.fits).toBe(fit.neededBytes <= fit.budgetBytes);
    }
  });

  it('prints a table with units, the problems and where it looked', async () => {
    const res = await runCli(['models'], env, { cwd });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^NAME +STORE +STATUS +ARCH +PARAMS +QUANT +SIZE +CONTEXT \(tokens\) +CHAT TEMPLATE +NEEDS \(file \+ F16 KV at 2,048 tokens \+ 512 MiB\) +FITS (free RAM|VRAM)/);
    expect(res.stdout).toMatch(/ollama:stories:260k +Ollama +ok +llama +\d+(\.\d+)?K +F32 +1\.1\d MiB/);
    expect(res.stdout).toContain('Not usable:');
    expect(res.stdout).toContain(`Looked in:\n  ./models: ${path.join(cwd, 'models')}\n  WATTBENCH_MODELS_DIR: ${path.join(cwd, 'models')}`);
  });

  it('exits 0 and says where it looked when there is nothing', async () => {
    const empty = makeTempDir('model-stores-empty');
    const res = await runCli(['models'], { ...env, HOME: empty, USERPROFILE: empty, HF_HOME: path.join(empty, 'hf'), WATTBENCH_MODELS_DIR: undefined }, { cwd: empty });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('No GGUF models found. Looked in:');
    expect(res.stdout).toContain(`Ollama: ${path.join(empty, '.ollama', 'models')} (absent)`);
    const json = await runCli(['models', '--json'], { ...env, HOME: empty, USERPROFILE: empty, HF_HOME: path.join(empty, 'hf'), WATTBENCH_MODELS_DIR: undefined }, { cwd: empty });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});

describe('wattbench run --model ollama:NAME', () => {
  it('benchmarks the blob in place and records the model under its Ollama name', async () => {
    const db = path.join(root, 'ollama-run.db');
    const blobsBefore = fs.readdirSync(path.join(ollama, 'blobs')).sort();
    const res = await runCli(['run', '--model', 'ollama:stories:260k', '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--db', db, '--json'], env, { cwd });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const record = JSON.parse(res.stdout);
    expect(record.status).toBe('completed');
    expect(record.model).toMatchObject({ file: 'ollama:stories:260k', sha256: storiesDigest, architecture: 'llama' });
    expect(record.settings).toMatchObject({ model: 'ollama:stories:260k', modelPath: storiesBlob });
    expect(queryDb<{ file_name: string }>(db, 'SELECT file_name FROM models')).toEqual([{ file_name: 'ollama:stories:260k' }]);
    // Nothing copied: no file appeared in the store, the project or its models folder.
    expect(fs.readdirSync(path.join(ollama, 'blobs')).sort()).toEqual(blobsBefore);
    expect(fs.readdirSync(path.join(cwd, 'models'))).toEqual(['stories260K.gguf']);
  });

  it('rejects an unknown model in one line naming it and `wattbench models` (exit 2)', async () => {
    const db = path.join(root, 'unknown.db');
    const res = await runCli(['run', '--model', 'ollama:nope', '--suite', 'smoke', '--db', db], env, { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('ollama:nope:latest');
    expect(res.stderr).toContain('wattbench models');
    expect(res.stdout).toBe('');
  });

  it('rejects a model whose blob is missing in one line (exit 2)', async () => {
    const res = await runCli(['run', '--model', 'ollama:gone', '--suite', 'smoke', '--db', path.join(root, 'gone.db')], env, { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/Ollama model ollama:gone:latest cannot be used: its blob sha256-eeeeeeeeeeee… is missing.*ollama pull gone:latest/);
  });

  it('rejects a malformed ollama: spec before touching anything (exit 2)', async () => {
    const db = path.join(root, 'malformed.db');
    const res = await runCli(['run', '--model', 'ollama:stories:', '--suite', 'smoke', '--db', db], env, { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/is not a valid model: nothing follows the ":"/);
    expect(fs.existsSync(db)).toBe(false);
  });
});
