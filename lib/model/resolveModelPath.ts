// Turns --model into a local file: a path as is; hf:owner/repo:quant or an https URL through
// node-llama-cpp's resolver, downloading into the models folder with progress.
import fs from 'node:fs';
import path from 'node:path';
import { resolveModelFile } from 'node-llama-cpp';
import { InputError, WattbenchError } from '../errors/WattbenchError';

/** Where downloaded models are kept: WATTBENCH_MODELS_DIR, else ./models. */
export function modelsDir(): string {
  return path.resolve(process.env.WATTBENCH_MODELS_DIR ?? 'models');
}

export interface ResolveModelOptions {
  /** Download folder. Defaults to modelsDir(). */
  directory?: string;
  /** Called while downloading, with bytes so far and the total. */
  onProgress?: (downloadedBytes: number, totalBytes: number) => void;
  /** How long to wait for the server to answer before declaring it unreachable, ms. Defaults to 15,000. */
  connectTimeoutMs?: number;
}

export function isRemoteModel(spec: string): boolean {
  return spec.startsWith('hf:') || spec.startsWith('https://') || spec.startsWith('http://');
}

export async function resolveModelPath(spec: string, options: ResolveModelOptions = {}): Promise<string> {
  if (!isRemoteModel(spec)) return path.resolve(spec);
  const directory = options.directory ?? modelsDir();
  const offlineFix = `download the .gguf file on a connected machine and pass --model /path/to/model.gguf (or put it in ${directory})`;
  if (spec.startsWith('http')) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new InputError(`--model ${spec} is not a valid URL; pass a local .gguf path, hf:owner/repo:quant or an https URL`);
    }
    // node-llama-cpp retries unreachable URLs for minutes: probe the server once, briefly, first.
    await probeReachable(url, options.connectTimeoutMs ?? 15_000, spec, offlineFix);
  }
  fs.mkdirSync(directory, { recursive: true });
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
    await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new WattbenchError(`cannot download ${spec}: ${url.host} is unreachable (offline?); ${offlineFix}`);
  }
}
