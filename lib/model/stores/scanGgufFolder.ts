// The GGUF files under a plain folder (./models, WATTBENCH_MODELS_DIR, node-llama-cpp's folder, LM Studio's
// publisher/repo tree): each model once, split models by their first part, unfinished downloads as such.
import fs from 'node:fs';
import path from 'node:path';
import type { ModelStoreLocation } from './modelStores';
import { partialDownloadReason, splitPart, splitPartName, type ModelCandidate } from './modelCandidate';

/** LM Studio nests publisher/repo/file; a little deeper is tolerated, a whole disk is not walked. */
const MAX_DEPTH = 4;

export function scanGgufFolder(location: ModelStoreLocation): ModelCandidate[] {
  const found: ModelCandidate[] = [];
  walk(location.directory, 0, (file) => {
    const base = path.basename(file);
    const name = path.relative(location.directory, file);
    const candidate = { store: location.store, storeDirectory: location.directory, name, path: file, parts: [file] };
    const partial = partialDownloadReason(base);
    if (partial) {
      if (/\.gguf/i.test(base)) found.push({ ...candidate, incomplete: partial });
      return;
    }
    if (!/\.gguf$/i.test(base)) return;
    const split = splitPart(base);
    if (!split) return void found.push(candidate);
    // Listed once, from the first part present.
    for (let i = 1; i < split.part; i++) if (fs.existsSync(path.join(path.dirname(file), splitPartName(split.prefix, i, split.parts)))) return;
    const parts = Array.from({ length: split.parts }, (_, i) => path.join(path.dirname(file), splitPartName(split.prefix, i + 1, split.parts)));
    const missing = parts.map((p, i) => (fs.existsSync(p) ? null : i + 1)).filter((i): i is number => i !== null);
    found.push({
      ...candidate,
      ...(split.part === 1 ? {} : { path: parts[0] }),
      parts,
      ...(missing.length > 0 ? { incomplete: `split model of ${split.parts} parts: part ${missing.join(', ')} missing` } : {}),
    });
  });
  return found;
}

function walk(directory: string, depth: number, onFile: (file: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return; // absent or unreadable: the store is simply empty
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(directory, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = fs.statSync(full);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        isFile = true; // a dangling link: reported as unreadable by its header
      }
    }
    if (isDir && depth < MAX_DEPTH) walk(full, depth + 1, onFile);
    else if (isFile) onFile(full);
  }
}
