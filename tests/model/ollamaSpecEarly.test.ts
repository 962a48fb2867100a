// `run --model ollama:NAME` for a model Ollama's store lacks: refused in one line (exit 2) before the database is
// created or opened, for a single model and for any element of a sweep's list.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';

const root = makeTempDir('ollama-early');
const store = path.join(root, 'ollama');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// A store with one model whose blob is gone (manifests/<host>/<namespace>/<name>/<tag>, as `ollama pull` writes).
const manifest = path.join(store, 'manifests', 'registry.ollama.ai', 'library', 'gone', 'latest');
fs.mkdirSync(path.dirname(manifest), { recursive: true });
fs.mkdirSync(path.join(store, 'blobs'), { recursive: true });
fs.writeFileSync(manifest, JSON.stringify({ schemaVersion: 2, layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${'e'.repeat(64)}`, size: 1000 }] }));
const env = { OLLAMA_MODELS: store, WATTBENCH_MODEL: undefined };

function expectRefusedBeforeDb(res: { code: number | null; stdout: string; stderr: string }, db: string): void {
  expect(res.code).toBe(2);
  expect(res.stdout).toBe('');
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  for (const file of [db, `${db}-wal`, `${db}-shm`]) expect(fs.existsSync(file), file).toBe(false);
}

describe('run --model ollama:NAME the store lacks', () => {
  it('refuses an unknown model before any database work', async () => {
    const db = path.join(root, 'unknown.db');
    const res = await runCli(['run', '--model', 'ollama:nope', '--suite', 'smoke', '--db', db], env);
    expectRefusedBeforeDb(res, db);
    expect(res.stderr).toMatch(/no Ollama model ollama:nope:latest in .*wattbench models/);
  });

  it('refuses a model whose blob is missing before any database work', async () => {
    const db = path.join(root, 'gone.db');
    const res = await runCli(['run', '--model', 'ollama:gone', '--suite', 'smoke', '--db', db], env);
    expectRefusedBeforeDb(res, db);
    expect(res.stderr).toMatch(/Ollama model ollama:gone:latest cannot be used/);
  });

  it('refuses a sweep whose second model is unknown before the first is touched', async () => {
    const db = path.join(root, 'sweep.db');
    const res = await runCli(['run', '--model', `${STORIES_MODEL},ollama:nope:q4`, '--suite', 'smoke', '--db', db], env);
    expectRefusedBeforeDb(res, db);
    expect(res.stderr).toContain('ollama:nope:q4');
  });
});
