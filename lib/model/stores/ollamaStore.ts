// Ollama's store: manifests/<host>/<namespace>/<name>/<tag> are JSON image manifests (schemaVersion 2) whose
// layer of mediaType application/vnd.ollama.image.model is the GGUF, stored as blobs/sha256-<hex> (the digest
// "sha256:<hex>" with ':' made '-'). Models are read from their blobs, never copied.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ollamaDisplayName } from '../parseModelSpec';
import type { ModelStoreLocation } from './modelStores';
import type { ModelCandidate } from './modelCandidate';

export const OLLAMA_MODEL_MEDIA_TYPE = 'application/vnd.ollama.image.model';

const manifestSchema = z.looseObject({
  layers: z.array(z.looseObject({ mediaType: z.string(), digest: z.string(), size: z.number().optional() })),
});

export interface OllamaRef {
  host: string;
  namespace: string;
  name: string;
  tag: string;
}

export type OllamaBlob = { ok: true; blobPath: string } | { ok: false; reason: string };

/** The manifest's path for a model reference. */
export function ollamaManifestPath(root: string, ref: OllamaRef): string {
  return path.join(root, 'manifests', ref.host, ref.namespace, ref.name, ref.tag);
}

/** The GGUF blob a manifest names, or why there is none (unreadable manifest, no model layer, missing blob). */
export function readOllamaManifest(root: string, manifestPath: string): OllamaBlob {
  let manifest: z.infer<typeof manifestSchema>;
  try {
    manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(manifestPath, 'utf8')));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof SyntaxError ? 'not JSON' : 'not an image manifest');
    return { ok: false, reason: `its Ollama manifest cannot be read (${why})` };
  }
  const layer = manifest.layers.find((l) => l.mediaType === OLLAMA_MODEL_MEDIA_TYPE);
  if (!layer) return { ok: false, reason: 'its Ollama manifest has no model layer (an adapter or a safetensors import?)' };
  const m = /^sha256:([0-9a-f]{64})$/.exec(layer.digest);
  if (!m) return { ok: false, reason: `its Ollama manifest names the digest "${layer.digest}", not sha256:<64 hex digits>` };
  const blobPath = path.join(root, 'blobs', `sha256-${m[1]}`);
  if (!fs.existsSync(blobPath)) return { ok: false, reason: `its blob sha256-${m[1].slice(0, 12)}… is missing (pulled partly, or pruned)` };
  return { ok: true, blobPath };
}

/** Every model in the store, by manifest; each named as `ollama list` does, prefixed "ollama:". */
export function scanOllamaStore(location: ModelStoreLocation): ModelCandidate[] {
  const root = location.directory;
  const found: ModelCandidate[] = [];
  for (const host of list(path.join(root, 'manifests'))) {
    for (const namespace of list(path.join(root, 'manifests', host))) {
      for (const name of list(path.join(root, 'manifests', host, namespace))) {
        for (const tag of list(path.join(root, 'manifests', host, namespace, name))) {
          const manifestPath = ollamaManifestPath(root, { host, namespace, name, tag });
          if (!isFile(manifestPath)) continue;
          const blob = readOllamaManifest(root, manifestPath);
          found.push({
            store: location.store,
            storeDirectory: root,
            name: ollamaDisplayName({ host, namespace, name, tag }),
            // Without its blob, the model is shown by its manifest and has no size.
            path: blob.ok ? blob.blobPath : manifestPath,
            parts: blob.ok ? [blob.blobPath] : [],
            ...(blob.ok ? {} : { incomplete: blob.reason }),
          });
        }
      }
    }
  }
  // A pull in progress writes blobs/sha256-<hex>-partial (and -partial-N chunk records) before any manifest.
  for (const blob of list(path.join(root, 'blobs'))) {
    if (!/^sha256-[0-9a-f]{64}-partial$/.test(blob)) continue;
    const blobPath = path.join(root, 'blobs', blob);
    found.push({ store: location.store, storeDirectory: root, name: `ollama blob ${blob.slice(0, 19)}…`, path: blobPath, parts: [blobPath], incomplete: 'unfinished Ollama pull (-partial blob)' });
  }
  return found;
}

function list(directory: string): string[] {
  try {
    return fs.readdirSync(directory).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
