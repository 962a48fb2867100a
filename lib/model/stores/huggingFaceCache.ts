// The Hugging Face hub cache (huggingface_hub's layout, also llama.cpp's -hf since #20775):
// models--<org>--<repo>/snapshots/<revision>/<path in repo> are relative symlinks into ../../blobs/<etag>; a
// download in progress is blobs/<etag>.incomplete. Every revision's GGUF files are listed; the same blob reached
// from two revisions is one model (duplicates are merged by real path later).
import fs from 'node:fs';
import path from 'node:path';
import type { ModelStoreLocation } from './modelStores';
import { scanGgufFolder } from './scanGgufFolder';
import type { ModelCandidate } from './modelCandidate';

export function scanHuggingFaceCache(location: ModelStoreLocation): ModelCandidate[] {
  const found: ModelCandidate[] = [];
  let repos: string[];
  try {
    repos = fs.readdirSync(location.directory).filter((n) => n.startsWith('models--')).sort();
  } catch {
    return found;
  }
  for (const repoDir of repos) {
    // "models--Qwen--Qwen2.5-0.5B-Instruct-GGUF" → "Qwen/Qwen2.5-0.5B-Instruct-GGUF" (repo ids hold no "--").
    const repoId = repoDir.slice('models--'.length).split('--').join('/');
    const snapshots = path.join(location.directory, repoDir, 'snapshots');
    for (const revision of readdir(snapshots)) {
      const snapshot = { ...location, directory: path.join(snapshots, revision) };
      for (const c of scanGgufFolder(snapshot)) found.push({ ...c, storeDirectory: location.directory, name: `${repoId}/${c.name}` });
    }
    const blobs = path.join(location.directory, repoDir, 'blobs');
    // Other files of the repository download the same way: only a blob that starts as a GGUF is a model.
    for (const blob of readdir(blobs).filter((b) => b.endsWith('.incomplete') && startsAsGguf(path.join(blobs, b)))) {
      const blobPath = path.join(blobs, blob);
      found.push({ store: location.store, storeDirectory: location.directory, name: `${repoId} (blob ${blob.slice(0, 12)}…)`, path: blobPath, parts: [blobPath], incomplete: 'unfinished download (.incomplete blob)' });
    }
  }
  return found;
}

function readdir(directory: string): string[] {
  try {
    return fs.readdirSync(directory).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
}

/** True when the file starts with the GGUF magic, or is too short to tell (an unfinished download may be empty). */
function startsAsGguf(file: string): boolean {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const n = fs.readSync(fd, head, 0, 4, 0);
    return n < 4 || head.toString('latin1') === 'GGUF';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
