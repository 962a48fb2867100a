// Turns --model into a local file: a path as is; ollama:name[:tag] as the blob Ollama's manifest names (never
// copied); hf:owner/repo:quant, hf:owner/repo/file.gguf or an https URL
// through node-llama-cpp's resolver (after a syntax check and a brief reachability probe), downloading into the
// models folder with progress.
import fs from 'node:fs';
import path from 'node:path';
import { InputError, ModelLoadError, WattbenchError } from '../errors/WattbenchError';
import { isRemoteSpec, ollamaDisplayName, parseModelSpec, type ModelSpec } from './parseModelSpec';
import { ollamaModelsDir } from './stores/modelStores';
import { ollamaManifestPath, readOllamaManifest } from './stores/ollamaStore';

/** Where downloaded models are kept: WATTBENCH_MODELS_DIR, else ./models. */
export function modelsDir(): string {
  return path.resolve(process.env.WATTBENCH_MODELS_DIR ?? 'models');
}

export interface ResolveModelOptions {
  /** Download folder. Defaults to modelsDir(). */
  directory?: string;
  /** Called while downloading, with bytes so far and the total. */
  onProgress?: (downloadedBytes: number, totalBytes: number) => void;
  /** How long to wait for the server to answer before declaring it unreachable, ms. Defaults to 8,000. */
  connectTimeoutMs?: number;
}

export function isRemoteModel(spec: string): boolean {
  return isRemoteSpec(spec);
}

/** How long the reachability probe waits before declaring the server unreachable: seconds, not minutes. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;
const DEFAULT_HF_ENDPOINT = 'https://huggingface.co/';

export async function resolveModelPath(spec: string, options: ResolveModelOptions = {}): Promise<string> {
  // The syntax first: a malformed spec is bad input (exit 2), whatever the network.
  const parsed = parseModelSpec(spec);
  if (parsed.kind === 'local') return parsed.path;
  if (parsed.kind === 'ollama') return resolveOllamaBlob(parsed);
  const directory = options.directory ?? modelsDir();
  const offlineFix = `download the .gguf file on a connected machine and pass --model /path/to/model.gguf (or put it in ${directory})`;
  const endpoint = process.env.HF_ENDPOINT || DEFAULT_HF_ENDPOINT;
  // node-llama-cpp retries an unreachable server for minutes, silently: probe it once, briefly, first.
  let probeUrl: URL;
  try {
    probeUrl = parsed.kind === 'url' ? parsed.url : new URL(endpoint);
  } catch {
    throw new InputError(`HF_ENDPOINT ${JSON.stringify(endpoint)} is not a valid URL; set it to the Hugging Face mirror's address (e.g. https://huggingface.co) or unset it`);
  }
  await probeReachable(probeUrl, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, spec, offlineFix);
  fs.mkdirSync(directory, { recursive: true });
  // Loaded only for a download: a local file needs none of node-llama-cpp (about a second of CPU to import).
  const { resolveModelFile } = await import('node-llama-cpp');
  try {
    return await resolveModelFile(spec, {
      directory,
      cli: false,
      verify: false,
      endpoints: process.env.HF_ENDPOINT ? { huggingFace: process.env.HF_ENDPOINT } : undefined,
      onProgress: options.onProgress ? ({ downloadedSize, totalSize }) => options.onProgress?.(downloadedSize, totalSize) : undefined,
    });
  } catch (err) {
    const reason = String((err as Error)?.message ?? err).split('\n')[0];
    if (/fetch failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|network|getaddrinfo/i.test(reason)) {
      throw new WattbenchError(`cannot download ${spec}: the server is unreachable (offline?); ${offlineFix}`);
    }
    throw new WattbenchError(`cannot resolve model ${spec}: ${reason}; check the name, or ${offlineFix}`);
  }
}

async function probeReachable(url: URL, timeoutMs: number, spec: string, offlineFix: string): Promise<void> {
  try {
    // Any HTTP answer, even an error status, shows the server is there; only no answer at all is "offline".
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new WattbenchError(`cannot download ${spec}: ${url.host} is unreachable (offline?); ${offlineFix}`);
  }
}

/**
 * Every ollama: spec of a --model list checked against Ollama's store (a manifest read, no more), so a model the
 * store lacks is refused before the database, the suite or llama.cpp is touched.
 */
export function checkOllamaSpecs(specs: readonly string[]): void {
  for (const spec of specs) {
    const parsed = parseModelSpec(spec);
    if (parsed.kind === 'ollama') resolveOllamaBlob(parsed);
  }
}

/** The GGUF blob of a model Ollama pulled: exit 2, one line, when the store does not have it. */
export function resolveOllamaBlob(ref: Extract<ModelSpec, { kind: 'ollama' }>): string {
  const root = ollamaModelsDir();
  const name = ollamaDisplayName(ref);
  const manifest = ollamaManifestPath(root, ref);
  if (!fs.existsSync(manifest)) {
    throw new InputError(`no Ollama model ${name} in ${root} (OLLAMA_MODELS, else ~/.ollama/models); run \`wattbench models\` to list the models on this machine, or \`ollama pull ${name.slice('ollama:'.length)}\``);
  }
  const blob = readOllamaManifest(root, manifest);
  if (!blob.ok) throw new ModelLoadError(`Ollama model ${name} cannot be used: ${blob.reason}; pull it again with \`ollama pull ${name.slice('ollama:'.length)}\``, manifest);
  return blob.blobPath;
}

/** The name a model is recorded under when its file name says nothing ("sha256-…" for an Ollama blob); else undefined. */
export function modelDisplayName(spec: string): string | undefined {
  const parsed = parseModelSpec(spec);
  return parsed.kind === 'ollama' ? ollamaDisplayName(parsed) : undefined;
}
