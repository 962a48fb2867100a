// The participant's model download against a real local HTTP server: a dropped connection leaves a partial
// file, the next download continues it with Range and checks the whole by SHA-256; a wrong file is deleted.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedModelPath, downloadModel } from '../../../lib/workshop/client/downloadModel';
import { sha256File } from '../../../lib/model/sha256File';
import { STORIES_MODEL, makeTempDir } from '../../helpers/paths';
import { startRangeFileServer, type RangeFileServer } from '../../fixtures/rangeFileServer';

let server: RangeFileServer;
let sha256: string;
const bytes = fs.statSync(STORIES_MODEL).size;

beforeAll(async () => {
  server = await startRangeFileServer(STORIES_MODEL);
  sha256 = await sha256File(STORIES_MODEL);
});
afterAll(() => server.close());

describe('downloadModel', () => {
  it('continues a dropped download from the partial file with Range and checks the whole by SHA-256', async () => {
    const cache = makeTempDir('download');
    const model = { url: server.url, fileName: 'stories260K.gguf', sha256, bytes };
    const cut = Math.floor(bytes / 3);
    server.cutNextAfter = cut;
    await expect(downloadModel(cache, model)).rejects.toThrow(/stopped at .* run join again to continue/);
    const part = `${cachedModelPath(cache, model)}.part`;
    const kept = fs.statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(bytes);
    expect(fs.existsSync(cachedModelPath(cache, model))).toBe(false);

    const resumedFrom: number[] = [];
    const file = await downloadModel(cache, model, { resumed: (from) => resumedFrom.push(from) });
    expect(server.ranges.at(-1)).toBe(`bytes=${kept}-`);
    expect(resumedFrom).toEqual([kept]);
    expect(file).toBe(cachedModelPath(cache, model));
    expect(fs.readFileSync(file).equals(fs.readFileSync(STORIES_MODEL))).toBe(true);
    expect(fs.existsSync(part)).toBe(false);

    // Already here: no request at all.
    const requests = server.ranges.length;
    let cached = false;
    await downloadModel(cache, model, { cached: () => (cached = true) });
    expect(cached).toBe(true);
    expect(server.ranges.length).toBe(requests);
  });

  it('deletes a download whose SHA-256 does not match and says so', async () => {
    const cache = makeTempDir('download-bad');
    const model = { url: server.url, fileName: 'stories260K.gguf', sha256: '0'.repeat(64), bytes };
    await expect(downloadModel(cache, model)).rejects.toThrow(/corrupt \(SHA-256 [0-9a-f]{64} instead of 0{64}\); deleted it/);
    expect(fs.readdirSync(path.dirname(cachedModelPath(cache, model)))).toEqual([]);
  });

  it('names the leader it cannot reach', async () => {
    const cache = makeTempDir('download-gone');
    const closed = await startRangeFileServer(STORIES_MODEL);
    const url = closed.url;
    await closed.close();
    await expect(downloadModel(cache, { url, fileName: 'm.gguf', sha256, bytes })).rejects.toThrow(/cannot reach the leader at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});
