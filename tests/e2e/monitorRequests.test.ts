// A monitor of a real server in the browser: the fixture llama-server (real tokens, /slots and /metrics) watched by
// `wattbench monitor --pid`, real requests sent to it; the Live page shows the requests so far, the run page the
// count, energy per request with its label and the server's tokens, in English and French.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { queryDb } from '../helpers/queryDb';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { waitFor } from '../helpers/waitFor';
import { startDashboard, type DashboardHandle } from '../../lib/server/startDashboard';
import { VIEWPORT, freePort, launchBrowser, spawnCli, watchErrors } from './harness';

let dir = '';
let dashboard: DashboardHandle;
let browser: Browser;
let server: TestServer;
let monitor: ChildProcess | null = null;

beforeAll(async () => {
  dir = makeTempDir('e2e-monitor-requests');
  server = await startTestServer({ flavour: 'llama-server', flags: ['--metrics'] });
  dashboard = await startDashboard({ port: await freePort(), dbPath: path.join(dir, 'monitor.db'), build: 'stale', stdio: 'ignore' });
  browser = await launchBrowser();
});

afterAll(async () => {
  if (monitor && monitor.exitCode === null) monitor.kill('SIGINT');
  await browser?.close();
  await dashboard?.stop();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const storedRequests = (db: string): number | null => {
  try {
    const [row] = queryDb<{ runtime: string }>(db, 'SELECT runtime FROM runs WHERE id = 1');
    return row ? (JSON.parse(row.runtime).monitorRequests?.requests ?? null) : null;
  } catch {
    return null;
  }
};

describe('monitor of a server', () => {
  it('shows requests, energy per request and tokens on the Live page and the run page', async () => {
    const db = path.join(dir, 'monitor.db');
    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors = watchErrors(page);
    monitor = spawnCli(['monitor', '--pid', String(server.pid), '--power', 'estimate', '--db', db]);
    const exited = new Promise<number | null>((resolve) => monitor!.once('exit', resolve));
    await waitFor('the first poll', () => storedRequests(db) === 0, { timeoutMs: 90_000, everyMs: 50 });
    for (let i = 1; i <= 2; i++) {
      const res = await fetch(`${server.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'stories260K.gguf', prompt: `Once ${i}`, max_tokens: 4 }) });
      await res.json();
      await waitFor(`request ${i} counted`, () => storedRequests(db) === i, { timeoutMs: 60_000, everyMs: 50 });
    }
    await page.goto(`${dashboard.url}/live`, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => /Requests: ≥ 2 · Energy per request: ≤ [\d.,]+\s*J/.test(document.querySelector('[data-testid=live-monitor-requests]')?.textContent ?? ''), null, { timeout: 30_000 });
    monitor.kill('SIGINT');
    expect(await exited).toBe(130);

    await page.goto(`${dashboard.url}/runs/1`, { waitUntil: 'networkidle' });
    await page.getByTestId('monitor-run').waitFor();
    await expect(page.getByTestId('monitor-requests').textContent()).resolves.toBe(`at least 2 served by llama-server http://127.0.0.1:${server.port}/`);
    await expect(page.getByTestId('monitor-per-request').textContent()).resolves.toMatch(/^at most [\d.,]+\s*J$/);
    // The figure carries the energy's label, as every energy figure does.
    await expect(page.getByTestId('monitor-per-request').locator('xpath=../..').textContent()).resolves.toMatch(/estimated \(model CodeCarbon CPU-load model/);
    await expect(page.getByTestId('monitor-tokens').textContent()).resolves.toMatch(/^\d+ prompt, \d+ generated$/);

    await Promise.all([page.waitForURL('**/runs/1'), page.getByTestId('lang-switch').click()]);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expect(page.getByTestId('monitor-requests').textContent()).resolves.toMatch(/^au moins 2 servies par llama-server/);
    await expect(page.getByTestId('monitor-per-request').textContent()).resolves.toMatch(/^au plus [\d\s,]+\s*J$/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
