// Downloads a model file from a workshop leader into a cache folder: resumable (a partial file is continued with
// `Range: bytes=N-`), then checked by SHA-256; only a checked file gets its final name, so a file under its final
// name is always whole and right.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WattbenchError } from '../../errors/WattbenchError';
import { sha256File } from '../../model/sha256File';

export interface ModelDownload {
  /** Absolute URL of the file on the leader. */
  url: string;
  fileName: string;
  sha256: string;
  bytes: number;
}

export interface DownloadEvents {
  /** Bytes on disk so far (a resumed download starts above 0) and the total. */
  progress?(done: number, total: number): void;
  /** A partial file is continued from `from` bytes. */
  resumed?(from: number): void;
  /** The file was already in the cache (checked when it was downloaded). */
  cached?(): void;
}

/** Where a model lives in the cache: one folder per sha256, the leader's file name inside. */
export function cachedModelPath(cacheDir: string, model: Pick<ModelDownload, 'fileName' | 'sha256'>): string {
  return path.join(cacheDir, model.sha256, path.basename(model.fileName));
}

/** The checked file's path: downloaded (or continued) when missing. */
export async function downloadModel(cacheDir: string, model: ModelDownload, events: DownloadEvents = {}): Promise<string> {
  const finalPath = cachedModelPath(cacheDir, model);
  if (fs.existsSync(finalPath) && fs.statSync(finalPath).size === model.bytes) {
    events.cached?.();
    return finalPath;
  }
  fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  const partPath = `${finalPath}.part`;
  let have = fs.existsSync(partPath) ? fs.statSync(partPath).size : 0;
  if (have > model.bytes) {
    fs.rmSync(partPath);
    have = 0;
  }
  if (have < model.bytes) {
    const res = await fetchFrom(model.url, have);
    // 206: the leader continues where the partial file ends; 200: it sends the whole file, so start over.
    if (res.status === 206) {
      const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
      if (Number(start) !== have) {
        await res.body?.cancel();
        throw new WattbenchError(`the leader answered a resumed download of ${model.fileName} from byte ${start ?? '?'} instead of ${have}; delete ${partPath} and run join again`);
      }
      if (have > 0) events.resumed?.(have);
    } else if (res.status === 200) {
      have = 0;
    } else {
      const body = await res.text().catch(() => '');
      throw new WattbenchError(`the leader refused the download of ${model.fileName} (HTTP ${res.status}${errorOf(body)}); check the join link`);
    }
    if (!res.body) throw new WattbenchError(`the leader sent no data for ${model.fileName}; run join again`);
    let done = have;
    events.progress?.(done, model.bytes);
    const count = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        done += chunk.length;
        events.progress?.(done, model.bytes);
        cb(null, chunk);
      },
    });
    const out = fs.createWriteStream(partPath, { flags: have > 0 ? 'a' : 'w' });
    try {
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), count, out);
    } catch (err) {
      // The file must be closed, its queued writes done, before the next attempt reads its size.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      // What arrived stays in the partial file: the next join continues from there.
      throw new WattbenchError(`the download of ${model.fileName} stopped at ${done} of ${model.bytes} bytes (${(err as Error).message}); run join again to continue it`);
    }
  }
  const size = fs.statSync(partPath).size;
  const digest = size === model.bytes ? await sha256File(partPath) : null;
  if (digest !== model.sha256) {
    fs.rmSync(partPath, { force: true });
    const what = digest === null ? `${size} bytes instead of ${model.bytes}` : `SHA-256 ${digest} instead of ${model.sha256}`;
    throw new WattbenchError(`the download of ${model.fileName} is corrupt (${what}); deleted it, run join again to download it afresh`);
  }
  fs.renameSync(partPath, finalPath);
  return finalPath;
}

async function fetchFrom(url: string, from: number): Promise<Response> {
  try {
    return await fetch(url, { headers: from > 0 ? { range: `bytes=${from}-` } : {} });
  } catch (err) {
    throw new WattbenchError(`cannot reach the leader at ${new URL(url).origin} (${causeOf(err)}); check the Wi-Fi and the join link, then run join again`);
  }
}

/** A fetch failure's cause (ECONNREFUSED…) rather than undici's "fetch failed". */
export function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

function errorOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' ? `: ${parsed.error}` : '';
  } catch {
    return '';
  }
}
