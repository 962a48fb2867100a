// The Live page follows a real benchmark while it writes to the database, without reloading.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { startDashboard, type DashboardHandle } from '../../lib/server/startDashboard';
import { VIEWPORT, freePort, launchBrowser, screenshot, spawnCli, svgPaths, watchErrors } from './harness';

let dir = '';
let dashboard: DashboardHandle;
let browser: Browser;
let bench: ChildProcess | null = null;
let spinner: ChildProcess | null = null;

beforeAll(async () => {
  dir = makeTempDir('e2e-live');
  // No database yet: the page must wait for the run to create it.
  dashboard = await startDashboard({ port: await freePort(), dbPath: path.join(dir, 'live.db'), build: 'stale', stdio: 'ignore' });
  browser = await launchBrowser();
});

afterAll(async () => {
  if (bench && bench.exitCode === null) bench.kill('SIGINT');
  if (spinner && spinner.exitCode === null) spinner.kill('SIGKILL');
  await browser?.close();
  await dashboard?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Live page', () => {
  it('updates while a benchmark runs, then shows it finished', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors = watchErrors(page);
    await page.goto(`${dashboard.url}/live`, { waitUntil: 'networkidle' });
    await page.getByTestId('live-waiting').waitFor();

    bench = spawnCli([
      'run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '400', '--warmup', '1', '--max-tokens', '32',
      '--threads', '1', '--idle-seconds', '0', '--db', path.join(dir, 'live.db'), '--label', 'live-test',
    ]);
    let stderr = '';
    bench.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => bench!.once('exit', resolve));

    // The run appears without a reload, marked running.
    await page.locator('[data-testid=live-view] .badge.status-running').waitFor({ timeout: 60_000 });
    const progress = page.getByTestId('live-progress-value');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=live-progress-value]')?.firstChild?.textContent?.replace(/\D/g, '')) > 0, null, { timeout: 30_000 });
    // Texts and poll count read in one step: a poll landing between two reads would pair them wrongly.
    const { polls, ...first } = await page.evaluate(() => ({
      polls: Number(document.querySelector('[data-testid=live-view]')?.getAttribute('data-polls')),
      progress: document.querySelector('[data-testid=live-progress-value]')?.textContent ?? null,
      tokens: document.querySelector('[data-testid=live-tokens]')?.textContent ?? null,
    }));
    await page.waitForFunction(
      (before) => {
        const p = document.querySelector('[data-testid=live-progress-value]')?.textContent ?? null;
        const t = document.querySelector('[data-testid=live-tokens]')?.textContent ?? null;
        return p !== before.progress || t !== before.tokens;
      },
      first,
      { timeout: 15_000 },
    );
    expect(Number(await page.getByTestId('live-view').getAttribute('data-polls'))).toBeGreaterThan(polls);
    await expect(page.getByTestId('live-progress').textContent()).resolves.toMatch(/of 800 answers/);
    await page.locator('[data-testid=chart-live] svg path.recharts-curve').first().waitFor({ timeout: 15_000 });
    // A few more seconds of history for the screenshot, as long as the run lasts.
    await page
      .waitForFunction(() => Number(document.querySelector('[data-testid=live-view]')?.getAttribute('data-polls')) >= 6, null, { timeout: 6_000 })
      .catch(() => undefined);
    await screenshot(page, 'live');

    const code = await exited;
    expect(code, stderr).toBe(0);
    await page.locator('[data-testid=live-view] .badge.status-completed').waitFor({ timeout: 15_000 });
    await expect(progress.textContent()).resolves.toMatch(/^800/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows a monitor run (energy so far, the process, no tokens), and its run page shows it as a monitor', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors = watchErrors(page);
    spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    bench = spawnCli(['monitor', '--pid', String(spinner.pid), '--power', 'estimate', '--db', path.join(dir, 'live.db')]);
    const exited = new Promise<number | null>((resolve) => bench!.once('exit', resolve));
    await page.goto(`${dashboard.url}/live`, { waitUntil: 'networkidle' });
    await page.getByTestId('live-monitor-tag').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=live-view] .badge.status-running').waitFor({ timeout: 15_000 });
    // Polled: the first samples land within a second of the run row.
    await page.waitForFunction(() => /Energy so far[\d.,\s]+J/.test(document.querySelector('[data-testid=live-monitor-energy]')?.textContent ?? ''), null, { timeout: 15_000 });
    await expect(page.getByTestId('live-monitor-process').textContent()).resolves.toMatch(/Watched process.*%.*RSS/);
    await expect(page.getByTestId('live-tps').count()).resolves.toBe(0);
    bench.kill('SIGINT');
    expect(await exited).toBe(130);
    await page.locator('[data-testid=live-view] .badge.status-interrupted').waitFor({ timeout: 15_000 });
    const runId = (await page.locator('[data-testid=live-view] a[href^="/runs/"]').getAttribute('href'))!;

    await page.goto(`${dashboard.url}${runId}`, { waitUntil: 'networkidle' });
    await page.getByTestId('monitor-run').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toMatch(/monitor pid \d+ \(node\)/);
    await expect(page.getByTestId('monitor-requests').textContent()).resolves.toMatch(/not counted/);
    await expect(page.getByTestId('monitor-per-hour').textContent()).resolves.toMatch(/J/);
    await page.locator('[data-testid=chart-cpu] svg path.recharts-curve').first().waitFor({ state: 'attached' });
    // Two lines: the machine's CPU and the watched process's.
    await expect(page.locator('[data-testid=chart-cpu] svg path.recharts-curve').count()).resolves.toBe(2);
    expect(await svgPaths(page, '[data-testid=chart-power]')).toBeGreaterThan(0);
    await expect(page.getByTestId('chart-tps').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
