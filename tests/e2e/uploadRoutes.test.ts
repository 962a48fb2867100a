// The workshop's HTTP API through a real `wattbench serve` on a leader's database: the manifest, resumable model
// downloads (Range → 206), the upload's refusals (401 missing or wrong token with nothing stored, 415, 400, 413),
// 201 then 200 for the same run uploaded twice, progress, the leaderboard with the machine's energy label, the
// pages (an unknown code is a 404), and 429 past 30 uploads a minute from one address (its own claimed X-Forwarded-For ignored).
import type { ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../lib/db/openDb';
import { loadSuite } from '../../lib/suites/loadSuite';
import { createWorkshop } from '../../lib/workshop/createWorkshop';
import { buildRunUpload } from '../../lib/workshop/runUpload';
import type { WorkshopBoard, WorkshopManifest } from '../../lib/records/workshop';
import { runCli } from '../helpers/runCli';
import { makeTempDir, STORIES_MODEL } from '../helpers/paths';
import { queryDb } from '../helpers/queryDb';
import { joinUrl, projectorUrl } from '../../lib/workshop/links';
import { freePort, launchBrowser, screenshot, startServe, stopServe, watchErrors } from './harness';

const dir = makeTempDir('e2e-upload-routes');
const leaderFile = path.join(dir, 'leader.db');
const participantFile = path.join(dir, 'participant.db');
let base = '';
let serve: ChildProcess;
let code = '';
let token = '';
let uploadBody = '';
const clientId = randomUUID();

const storedRuns = () => queryDb<{ n: number }>(leaderFile, 'SELECT count(*) AS n FROM workshop_runs')[0].n;
const post = (pathname: string, body: string, headers: Record<string, string>) => fetch(`${base}${pathname}`, { method: 'POST', body, headers });
const json = { 'Content-Type': 'application/json' };

beforeAll(async () => {
  // A participant's real run (the prebuilt binary: a concurrent `wattbench setup` would hold the build lock).
  const made = await runCli(
    ['run', '-m', STORIES_MODEL, '-s', 'quality', '-r', '1', '-w', '0', '-t', '1', '--idle-seconds', '0', '--db', participantFile, '--json'],
    { WATTBENCH_ENGINE: 'prebuilt' },
  );
  expect(made.code).toBe(0);
  const participant = openDb(participantFile, { readonly: true });
  uploadBody = JSON.stringify(buildRunUpload(participant, (JSON.parse(made.stdout) as { id: number }).id, { clientId, nickname: 'Heron' }));
  participant.$client.close();

  const leader = openDb(leaderFile, { recoverOrphans: false });
  ({ code, token } = await createWorkshop(leader, { name: 'Salle 4', suite: loadSuite('quality').suite, models: [{ path: STORIES_MODEL }] }));
  leader.$client.close();

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  serve = await startServe(['--port', String(port), '--db', leaderFile]);
}, 600_000);

afterAll(async () => {
  await stopServe(serve);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('workshop API', () => {
  it('serves the manifest; an unknown code is a 404 with one line', async () => {
    const res = await fetch(`${base}/api/workshops/${code}`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as WorkshopManifest;
    expect(manifest).toMatchObject({ manifestVersion: 1, code, name: 'Salle 4', uploadSchemaVersion: 1, suite: { name: 'quality' } });
    expect(manifest.models).toEqual([expect.objectContaining({ fileName: 'stories260K.gguf', bytes: fs.statSync(STORIES_MODEL).size })]);
    expect(JSON.stringify(manifest)).not.toContain(path.dirname(STORIES_MODEL));
    const other = code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
    const missing = await fetch(`${base}/api/workshops/${other}`);
    expect(missing.status).toBe(404);
    expect((await missing.json()) as { error: string }).toEqual({ error: expect.stringMatching(/^no workshop .*; check/) });
  });

  it('downloads the model whole and from an offset (206), with its sha256 as ETag', async () => {
    const manifest = (await (await fetch(`${base}/api/workshops/${code}`)).json()) as WorkshopManifest;
    const { url, sha256, bytes } = manifest.models[0];
    const whole = await fetch(`${base}${url}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('etag')).toBe(`"${sha256}"`);
    const body = Buffer.from(await whole.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(sha256);
    const from = 100_000;
    const part = await fetch(`${base}${url}`, { headers: { Range: `bytes=${from}-` } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${from}-${bytes - 1}/${bytes}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(from))).toBe(true);
    expect((await fetch(`${base}${url}`, { headers: { Range: `bytes=${bytes}-` } })).status).toBe(416);
    expect((await fetch(`${base}/api/workshops/${code}/models/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('refuses uploads without the right token (nothing stored), not JSON, invalid, or too large', async () => {
    const missing = await post(`/api/workshops/${code}/runs`, uploadBody, json);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: string }).error).toMatch(/^missing upload token; send Authorization: Bearer/);
    const wrong = await post(`/api/workshops/${code}/runs`, uploadBody, { ...json, Authorization: `Bearer ${token.slice(1)}x` });
    expect(wrong.status).toBe(401);
    expect(storedRuns()).toBe(0);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await post(`/api/workshops/${code}/runs`, uploadBody, { ...auth, 'Content-Type': 'text/plain' })).status).toBe(415);
    const invalid = await post(`/api/workshops/${code}/runs`, JSON.stringify({ ...JSON.parse(uploadBody), nickname: '' }), { ...auth, ...json });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: string }).error).toBe('invalid run upload: nickname: nickname is empty');
    const big = await post(`/api/workshops/${code}/runs`, ' '.repeat(4 * 1024 * 1024 + 1), { ...auth, ...json });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/limit of 4194304 bytes \(4 MiB\)/);
    expect(storedRuns()).toBe(0);
  });

  it('stores an upload once: 201, then 200 duplicate for the same run', async () => {
    const headers = { ...json, Authorization: `Bearer ${token}` };
    const first = await post(`/api/workshops/${code}/runs`, uploadBody, headers);
    expect(first.status).toBe(201);
    const stored = (await first.json()) as { runId: number; duplicate: boolean };
    expect(stored.duplicate).toBe(false);
    const again = await post(`/api/workshops/${code}/runs`, uploadBody, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ runId: stored.runId, duplicate: true });
    expect(storedRuns()).toBe(1);
  });

  it('records progress and shows the machine and its labelled result on the leaderboard and the page', async () => {
    const other = randomUUID();
    const progress = await post(`/api/workshops/${code}/progress`, JSON.stringify({ clientId: other, nickname: 'Otter', phase: 'running', done: 3, total: 10 }), {
      ...json,
      Authorization: `Bearer ${token}`,
    });
    expect(progress.status).toBe(204);
    const downloading = await post(`/api/workshops/${code}/progress`, JSON.stringify({ clientId: randomUUID(), nickname: 'Lynx', phase: 'downloading', done: 2 ** 20, total: 3 * 2 ** 20 }), {
      ...json,
      Authorization: `Bearer ${token}`,
    });
    expect(downloading.status).toBe(204);
    const board = (await (await fetch(`${base}/api/workshops/${code}/leaderboard`)).json()) as WorkshopBoard;
    expect(board.machines.map((m) => [m.nickname, m.phase])).toEqual(
      expect.arrayContaining([
        ['Heron', 'done'],
        ['Otter', 'running'],
      ]),
    );
    expect(board.leaderboard).toHaveLength(1);
    const entry = board.leaderboard[0];
    const local = queryDb<{ basis: string }>(participantFile, 'SELECT energy_basis AS basis FROM runs')[0];
    expect(entry).toMatchObject({ nickname: 'Heron', basis: local.basis });
    expect(entry.genTokensPerSec).toBeGreaterThan(0);
    const page = await fetch(`${base}/${code}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Heron');
    // Progress carries its unit: bytes while downloading, steps while running (React's <!-- --> removed).
    const text = html.replace(/<!-- -->/g, '');
    expect(text).toMatch(/[\d.]+\sMiB of [\d.]+\sMiB/);
    expect(text).toMatch(/3 of 10 steps/);
    expect(html).not.toContain(token);
    const projector = await fetch(`${base}/${code}/projector`);
    expect(projector.status).toBe(200);
    expect(await projector.text()).not.toContain(token);
    expect((await fetch(`${base}/${code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ'}`)).status).toBe(404);
    expect((await fetch(`${base}/no-such-page`)).status).toBe(404);
  });

  it('draws the workshop page and the projector (join link and QR code from the fragment) in Chromium without errors', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${base}/${code}`);
      await page.getByTestId('workshop-entry').first().waitFor();
      expect(await page.getByTestId('workshop-entry').first().textContent()).toContain('Heron');
      expect(await page.getByTestId('workshop-explain').textContent()).toMatch(/Energy per token[\s\S]*Énergie par jeton/);
      await page.getByTestId('workshop-sort').selectOption('jPerToken');
      await screenshot(page, 'workshop-page');
      const join = joinUrl('http://192.168.1.20:3000', code, token);
      await page.goto(projectorUrl(base, code, join));
      await page.getByTestId('projector-join').waitFor();
      expect(await page.getByTestId('projector-command').textContent()).toBe(`npx wattbench join ${join}`);
      const qr = await page.locator('.projector-qr svg').boundingBox();
      // Large enough to scan from a room: at least half the viewport's height.
      expect(qr!.height).toBeGreaterThan(450);
      await screenshot(page, 'workshop-projector');
      await page.goto(`${base}/${code}/projector`);
      await page.getByTestId('projector-no-token').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('answers 429 with Retry-After past 30 uploads a minute from one address, whatever X-Forwarded-For it claims', async () => {
    let limited: Response | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      // A client choosing its own bucket: the server takes the address from the socket instead.
      const res = await post(`/api/workshops/${code}/runs`, '{}', { ...json, 'X-Forwarded-For': `10.0.0.${i + 1}` });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(401);
    }
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { error: string }).error).toMatch(/^more than 30 requests a minute/);
  });
});
