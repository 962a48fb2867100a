// The model architectures this llama.cpp build can load, so that an unknown one is rejected in one line before
// llama.cpp is asked (it refuses them with several log lines of its own).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as nodeLlamaCpp from 'node-llama-cpp';

let cached: ReadonlySet<string> | null = null;

/**
 * node-llama-cpp's GgufArchitectureType, plus the names in the llama.cpp source it ships (llama-arch.cpp): the
 * enum lags the bundled binary by a few architectures, the source is what the binary (and `wattbench setup`'s
 * local build) was compiled from. When the source is absent the enum alone decides.
 */
export function knownArchitectures(): ReadonlySet<string> {
  if (cached) return cached;
  // GgufArchitectureType is declared a const enum, which isolatedModules forbids reading whole; it is a plain object at run time.
  const enumObject = (nodeLlamaCpp as unknown as { GgufArchitectureType?: Record<string, string> }).GgufArchitectureType ?? {};
  const names = new Set<string>(Object.values(enumObject));
  try {
    const entry = createRequire(import.meta.url).resolve('node-llama-cpp');
    const source = path.join(path.dirname(entry), '..', 'llama', 'llama.cpp', 'src', 'llama-arch.cpp');
    for (const m of fs.readFileSync(source, 'utf8').matchAll(/\{\s*LLM_ARCH_\w+\s*,\s*"([^"]+)"\s*\}/g)) names.add(m[1]);
  } catch {
    // no shipped source: the enum is the list
  }
  cached = names;
  return names;
}
