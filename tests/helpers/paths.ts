// Paths the tests share: the repository, the CLI entry and the tiny real models committed in tests/fixtures/models.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO_ROOT, 'bench', 'wattbench.cjs');

/** Folder of the test models: WATTBENCH_TEST_MODELS (e.g. ../shared/models), else the committed fixtures. */
export const MODELS_DIR = process.env.WATTBENCH_TEST_MODELS ?? path.join(REPO_ROOT, 'tests', 'fixtures', 'models');
export const STORIES_MODEL = path.join(MODELS_DIR, 'stories260K.gguf');
export const RANDOM_MODEL = path.join(MODELS_DIR, 'llama-2-tiny-random.gguf');

if (!fs.existsSync(STORIES_MODEL)) {
  throw new Error(`test models not found in ${MODELS_DIR}: set WATTBENCH_TEST_MODELS to the folder holding stories260K.gguf`);
}

/** A fresh temporary folder for one test file. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `wattbench-${prefix}-`));
}
