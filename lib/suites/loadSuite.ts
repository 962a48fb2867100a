// Loads a suite by bundled name (bench/suites/NAME.json) or by file path, and validates it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suiteSchema, type Suite } from './suiteSchema';
import { InputError } from '../errors/WattbenchError';

export const BUNDLED_SUITES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'suites');

export function listBundledSuites(): string[] {
  return fs
    .readdirSync(BUNDLED_SUITES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export interface LoadedSuite {
  suite: Suite;
  /** Where it came from: "bundled" or the absolute file path. */
  origin: string;
}

/** A bundled suite name, or a path to a JSON file (anything containing a slash or ending in .json). */
export function loadSuite(nameOrPath: string): LoadedSuite {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes(path.sep) || nameOrPath.endsWith('.json');
  let file: string;
  if (looksLikePath) {
    file = path.resolve(nameOrPath);
    if (!fs.existsSync(file)) throw new InputError(`suite file ${file} does not exist; pass a bundled suite (${listBundledSuites().join(', ')}) or a path to a suite JSON file`);
  } else {
    const bundled = listBundledSuites();
    if (!bundled.includes(nameOrPath)) {
      throw new InputError(`unknown suite "${nameOrPath}"; choose one of ${bundled.join(', ')} or pass a path to a suite JSON file`);
    }
    file = path.join(BUNDLED_SUITES_DIR, `${nameOrPath}.json`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`suite file ${file} is not valid JSON (${(err as Error).message}); fix it or see bench/suites/README.md for the format`);
  }
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first.path.length ? first.path.join('.') : 'top level';
    const hint = first.path[0] === 'prompts' && first.message === 'Invalid input' ? ' (a prompt needs "text", or "kind": "synthetic" with "promptTokens")' : '';
    throw new InputError(`suite file ${file} is invalid at ${where}: ${first.message}${hint}; see bench/suites/README.md for the format`);
  }
  return { suite: parsed.data, origin: looksLikePath ? file : 'bundled' };
}
