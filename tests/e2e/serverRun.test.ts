// A server run on the dashboard, in a real headless Chromium: labelled in the runs list and on its page, with
// what its energy covers. The run is a real one, against the test server streaming stories260K's tokens.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { startDashboard, type DashboardHandle } from '../../lib/server/startDashboard';
import { VIEWPORT, freePort, launchBrowser, runCli, watchErrors } from './harness';

let dir = '';
let server: TestServer;
let dashboard: DashboardHandle;
let browser: Browser;
let runId = 0;

beforeAll(async () => {
  dir = makeTempDir('e2e-server');
  server = await startTestServer({ flavour: 'llama-server' });
  const res = await runCli(['run', '--endpoint', server.url, '--model', 'stories260K.gguf', '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--idle-seconds', '0', '--power', 'estimate', '--db', path.join(dir, 'e2e.db'), '--json']);
  expect(res.code, res.stderr).toBe(0);
  runId = (JSON.parse(res.stdout) as { id: number }).id;
  dashboard = await startDashboard({ port: await freePort(), dbPath: path.join(dir, 'e2e.db'), build: 'stale', stdio: 'ignore' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a server run on the dashboard', () => {
  it('is tagged in the runs list and explained on its page', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${dashboard.url}/`, { waitUntil: 'networkidle' });
    await expect(page.locator(`[data-run-id="${runId}"] .tag`, { hasText: 'server' }).count()).resolves.toBe(1);
    await page.goto(`${dashboard.url}/runs/${runId}`, { waitUntil: 'networkidle' });
    const note = await page.locator('[data-server-run]').textContent();
    expect(note).toContain(`Server run: llama-server at ${server.url}/`);
    expect(note).toContain(`server's process (${server.pid})`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
