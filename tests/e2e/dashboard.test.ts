// The dashboard in a real headless Chromium, on a database filled by real runs of the tiny models.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANDOM_MODEL, REPO_ROOT, STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { startDashboard, type DashboardHandle } from '../../lib/server/startDashboard';
import { openDb } from '../../lib/db/openDb';
import { fitWithHoldOut, type FitInput } from '../../lib/advise/fitProfile';
import { storeMachineProfile } from '../../lib/records/machineProfiles';
import probeFixture from '../fixtures/probe/quiet-epyc-2vcpu.json';
import { VIEWPORT, freePort, launchBrowser, runCli, screenshot, svgPaths, watchErrors } from './harness';

let dir = '';
let dashboard: DashboardHandle;
let browser: Browser;
let context: BrowserContext;
const runIds: number[] = [];
let sweepId = '';

/** The two models in one command: a sweep of two runs (--json: an array of their records). */
async function realSweep(models: string[]): Promise<Array<{ id: number; sweepId: string }>> {
  const args = ['run', '--model', models.join(','), '--suite', 'smoke', '--reps', '2', '--warmup', '1', '--threads', '1', '--idle-seconds', '0', '--db', path.join(dir, 'e2e.db'), '--json'];
  const res = await runCli(args);
  expect(res.code, res.stderr).toBe(0);
  const records = JSON.parse(res.stdout) as Array<{ id: number; status: string; sweepId: string }>;
  for (const r of records) expect(r.status).toBe('completed');
  return records;
}

/** Opens a page and fails the test on any console error (CSP violations included). */
async function visit(url: string, ctx: BrowserContext = context): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const res = await page.goto(`${dashboard.url}${url}`, { waitUntil: 'networkidle' });
  expect(res?.status(), url).toBe(200);
  // Served under its nonce CSP: a script or style the policy blocked would be among the console errors.
  expect(res?.headers()['content-security-policy'], url).toMatch(/script-src 'self' 'nonce-/);
  return { page, errors };
}

beforeAll(async () => {
  dir = makeTempDir('e2e');
  // The models on the server's disk (the Which model page lists them for this machine's profile): one folder of one model.
  fs.mkdirSync(path.join(dir, 'disk-models'));
  fs.copyFileSync(STORIES_MODEL, path.join(dir, 'disk-models', 'stories-on-disk.gguf'));
  process.env.WATTBENCH_MODELS_DIR = path.join(dir, 'disk-models');
  const sweep = await realSweep([STORIES_MODEL, RANDOM_MODEL]);
  runIds.push(...sweep.map((r) => r.id));
  sweepId = sweep[0].sweepId;
  dashboard = await startDashboard({ port: await freePort(), dbPath: path.join(dir, 'e2e.db'), build: 'stale', stdio: 'ignore' });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', colorScheme: 'light' });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('dashboard pages', () => {
  it('lists the runs, and a filter narrows the table', async () => {
    const { page, errors } = await visit('/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Runs');
    await expect(page.locator('[data-testid=runs-table] tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('[data-testid=runs-table]').textContent()).resolves.toContain('stories260K');
    // Beside each J/token: measured, estimated or both.
    const bases = await page.locator('[data-testid=runs-table] [data-testid=energy-basis]').allTextContents();
    for (const b of bases) expect(b).toMatch(/^(measured|estimated|measured \+ estimated)$/);
    await screenshot(page, 'runs');

    const stories = await page.locator('[data-testid=filter-model] option', { hasText: 'stories260K' }).getAttribute('value');
    await Promise.all([page.waitForURL(/model=/), page.locator('[data-testid=filter-model]').selectOption(stories!)]);
    await expect(page.locator('[data-testid=runs-table] tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('[data-testid=runs-total]').textContent()).resolves.toBe('1 runs');

    await Promise.all([page.waitForURL(/sort=genTps/), page.getByRole('link', { name: 'Generation (tok/s)' }).click()]);
    await expect(page.locator('th[aria-sort]').textContent()).resolves.toContain('Generation');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a run: settings, charts over time, the per-prompt table and the energy panel', async () => {
    const { page, errors } = await visit(`/runs/${runIds[0]}`);
    await expect(page.locator('h1').textContent()).resolves.toContain('stories260K');
    for (const chart of ['chart-cpu', 'chart-memory', 'chart-tps']) {
      // Attached, not visible: a flat series (CPU pegged at 100 % on a busy machine) is a line of zero height.
      await page.locator(`[data-testid=${chart}] svg path.recharts-curve`).first().waitFor({ state: 'attached' });
      expect(await svgPaths(page, `[data-testid=${chart}]`), chart).toBeGreaterThan(0);
    }
    // Power: drawn when a source was readable, else it says so (never a flat zero).
    const power = page.locator('[data-testid=chart-power]');
    const powerText = await power.textContent();
    if (!powerText?.includes('not measured')) expect(await svgPaths(page, '[data-testid=chart-power]')).toBeGreaterThan(0);

    await screenshot(page, 'run');
    const prompts = page.locator('[data-testid=prompt-table] tbody tr.has-output');
    await expect(prompts.count()).resolves.toBeGreaterThan(0);
    await expect(prompts.first().textContent()).resolves.toMatch(/±/);
    // Model output is text: its characters are there, no element was created from it.
    await page.locator('[data-testid=prompt-table] details summary').first().click();
    const output = page.locator('[data-testid=prompt-output]').first();
    await expect(output.evaluate((el) => el.children.length)).resolves.toBe(0);
    await expect(output.textContent()).resolves.not.toBe('');

    const energy = page.locator('[data-testid=energy-table], [data-testid=energy-none]');
    await expect(energy.count()).resolves.toBe(1);
    await expect(page.locator('main').textContent()).resolves.toContain('Threads');
    // The binary and the loop behind the speeds.
    await expect(page.locator('main').textContent()).resolves.toMatch(/llama\.cpp binary.*Generation loop\s*wattbench’s native loop/s);
    // …and the thread the CLI ran llama.cpp's decodes on (one libuv thread: one OpenMP team).
    await expect(page.locator('main').textContent()).resolves.toContain('decodes on 1 libuv thread(s) (UV_THREADPOOL_SIZE=1)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers 404 for a malformed or unknown run, and 400 for a malformed API parameter', async () => {
    const page = await context.newPage();
    for (const bad of ['/runs/abc', '/runs/0', '/runs/99999', '/runs/1e3', '/live?run=x']) {
      const res = await page.goto(`${dashboard.url}${bad}`);
      expect(res?.status(), bad).toBe(404);
      await expect(page.locator('h1').textContent()).resolves.toBe('Not found');
    }
    const api = await page.request.get(`${dashboard.url}/api/live?run=abc`);
    expect(api.status()).toBe(400);
    const post = await page.request.post(`${dashboard.url}/api/live`);
    expect(post.status()).toBe(405);
    await page.close();
  });

  it('compares the two models: bars, the speed/energy scatter and a verdict', async () => {
    const { page, errors } = await visit('/compare');
    await page.locator('[data-testid=chart-compare-tps] path.recharts-rectangle').first().waitFor();
    for (const chart of ['chart-compare-tps', 'chart-compare-ttft']) expect(await svgPaths(page, `[data-testid=${chart}]`), chart).toBeGreaterThan(0);
    await expect(page.locator('[data-testid=compare-table] tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('[data-testid=verdict]').textContent()).resolves.toMatch(/On this machine, .+ (answers .+× faster than|and .+ answer at about the same speed)/);
    await screenshot(page, 'compare');

    const byRuns = await visit(`/compare?runs=${runIds.join(',')}`);
    await expect(byRuns.page.locator('[data-testid=compare-table] tbody tr').count()).resolves.toBe(2);
    expect(byRuns.errors).toEqual([]);
    await byRuns.page.close();

    // The sweep, chosen from its menu: its two runs side by side.
    await page.locator('[data-testid=compare-sweep]').selectOption(sweepId);
    await page.waitForURL(/sweep=/);
    await page.locator('[data-testid=compare-table] tbody tr').first().waitFor();
    await expect(page.locator('[data-testid=compare-table] tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('[data-testid=compare-table]').textContent()).resolves.toMatch(new RegExp(`#${runIds[0]} stories260K.*#${runIds[1]} llama-2-tiny-random`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the footprint page for a run', async () => {
    const { page, errors } = await visit(`/footprint?run=${runIds[0]}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Footprint');
    await expect(page.locator('main').textContent()).resolves.toMatch(/input tokens/);
    await expect(page.locator('[data-testid=footprint-local]').count()).resolves.toBe(1);
    // A recorded local figure says what it is and which time it covers.
    if (await page.locator('[data-testid=footprint-basis]').count()) {
      await expect(page.locator('[data-testid=footprint-basis]').textContent()).resolves.toMatch(/^(measured|estimated|measured \+ estimated)$/);
      await expect(page.locator('[data-testid=footprint-window]').textContent()).resolves.toContain('Covers the measured repetitions only');
    }
    // Either the estimator's charts or its "not available" notice; never a blank page.
    const charts = await page.locator('[data-testid=fp-energy]').count();
    if (charts) {
      expect(await svgPaths(page, '[data-testid=fp-energy]')).toBeGreaterThan(0);
      // stories260K is thousands of times smaller than the models EcoLogits' fit was made on: its cloud row says so.
      await expect(page.locator('[data-testid=fp-energy] [data-testid=range-note]').allTextContents()).resolves.toContainEqual(
        expect.stringMatching(/fewer than the smallest model EcoLogits’ energy fit was made on/),
      );
    } else await expect(page.locator('[data-testid=footprint-unavailable]').count()).resolves.toBe(1);
    await screenshot(page, 'footprint');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the machines with their best results and a like-for-like chart', async () => {
    const { page, errors } = await visit('/machines');
    await expect(page.locator('[data-testid=machines-table] tbody tr').count()).resolves.toBe(1);
    await page.locator('[data-testid=chart-machines-tps] path.recharts-rectangle').first().waitFor();
    expect(await svgPaths(page, '[data-testid=chart-machines-tps]')).toBeGreaterThan(0);
    await screenshot(page, 'machines');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Which model: without a machine profile, says to run wattbench probe', async () => {
    const { page, errors } = await visit('/advise');
    await expect(page.locator('h1').textContent()).resolves.toBe('Which model for this machine');
    await expect(page.getByTestId('advise-none').textContent()).resolves.toContain('wattbench probe');
    await expect(page.locator('nav a[href="/advise"]').getAttribute('aria-current')).resolves.toBe('page');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Which model: a profile of the server’s machine lists the models on its disk, labelled (en, fr); another machine’s does not', async () => {
    // A profile fitted (the real fit) on a real probe's points (tests/fixtures/probe), stored for the machine of the
    // runs above: the machine this dashboard runs on.
    const points: FitInput[] = probeFixture.points.map(({ fileName: _f, sha256: _s, threads: _t, shape: _shape, repetitions: _r, ...p }) => ({ ...p, origin: 'probe', energyBasis: 'estimate' }));
    const fit = fitWithHoldOut(points, points[2].runId);
    const db = openDb(path.join(dir, 'e2e.db'));
    const hardwareId = (db.$client.prepare('select hardware_id from runs limit 1').get() as { hardware_id: number }).hardware_id;
    storeMachineProfile(db, hardwareId, fit);
    const diskFile = path.join(dir, 'disk-models', 'stories-on-disk.gguf');
    const { page, errors } = await visit('/advise?goal=speed');
    await expect(page.getByTestId('advise-disk-note').textContent()).resolves.toContain('the models on its disk are listed too');
    await expect(page.getByTestId('advise-on-disk').allTextContents()).resolves.toContain(`on this disk (WATTBENCH_MODELS_DIR): ${diskFile}`);
    // The catalogue is there as before, the disk's model among its predictions.
    await expect(page.locator('[data-testid=advise-table] tbody tr').count()).resolves.toBeGreaterThan(20);
    expect(errors).toEqual([]);
    await page.close();
    const fr = await browser.newContext({ viewport: VIEWPORT, locale: 'fr-FR' });
    const frPage = (await visit('/advise', fr)).page;
    await expect(frPage.getByTestId('advise-on-disk').allTextContents()).resolves.toContain(`sur ce disque (WATTBENCH_MODELS_DIR) : ${diskFile}`);
    await fr.close();

    // A newer profile of another machine: the page shows it, without this disk's models.
    const other = db.$client
      .prepare("insert into hardware (fingerprint, hostname, cpu_model, cpu_cores, cpu_threads, memory_bytes, gpus, os, arch, created_at) values ('0123456789abcdef0123456789abcdef', 'elsewhere', 'Other CPU', 8, 16, 32e9, '[]', 'Linux', 'x64', ?) returning id")
      .get(Date.now()) as { id: number };
    storeMachineProfile(db, other.id, fit);
    // Into the file itself, the WAL left empty: the last test renames another file over this one, and a WAL
    // holding these writes would be read as the new file's.
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.close();
    const again = await visit('/advise');
    await expect(again.page.getByTestId('advise-disk-note').textContent()).resolves.toContain('another machine');
    await expect(again.page.getByTestId('advise-on-disk').count()).resolves.toBe(0);
    expect(again.errors).toEqual([]);
    await again.page.close();
  });

  it('switches to French and back on any page', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    const { page, errors } = await visit(`/runs/${runIds[1]}?x=1`, ctx);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await Promise.all([page.waitForURL(`**/runs/${runIds[1]}?x=1`), page.getByTestId('lang-switch').click()]);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expect(page.locator('nav').textContent()).resolves.toContain('Exécutions');
    await expect(page.locator('main').textContent()).resolves.toContain('Réglages');
    await expect(page.locator('main').textContent()).resolves.toContain('Boucle de génération');
    // The choice sticks across pages.
    await page.goto(`${dashboard.url}/machines`, { waitUntil: 'networkidle' });
    await expect(page.locator('h1').textContent()).resolves.toBe('Machines');
    await expect(page.locator('main').textContent()).resolves.toContain('Génération la plus rapide');
    await Promise.all([page.waitForURL('**/machines'), page.getByTestId('lang-switch').click()]);
    await expect(page.locator('main').textContent()).resolves.toContain('Fastest generation');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('is usable on a phone and from the keyboard, in dark mode too', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', locale: 'en-GB' });
    const { page, errors } = await visit(`/runs/${runIds[0]}`, phone);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(18, 20, 23)');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.closest('nav') !== null)).resolves.toBe(true);
    await screenshot(page, 'run-phone-dark');
    expect(errors).toEqual([]);
    await phone.close();
  });

  // On a database and a dashboard of its own: the tests below count the runs of the shared one.
  it('shows graded answers: per prompt on the run page, accuracy against J per correct answer on Compare', async () => {
    const suite = path.join(REPO_ROOT, 'tests', 'fixtures', 'suites', 'quality-mini.json');
    const db = path.join(dir, 'quality.db');
    const ids: number[] = [];
    for (const model of [STORIES_MODEL, RANDOM_MODEL]) {
      const res = await runCli(['run', '--model', model, '--suite', suite, '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--db', db, '--json']);
      expect(res.code, res.stderr).toBe(0);
      ids.push((JSON.parse(res.stdout) as { id: number }).id);
    }
    const own = await startDashboard({ port: await freePort(), dbPath: db, build: 'stale', stdio: 'ignore' });
    const open = async (url: string) => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      const res = await page.goto(`${own.url}${url}`, { waitUntil: 'networkidle' });
      expect(res?.status(), url).toBe(200);
      return { page, errors };
    };
    try {
      const run = await open(`/runs/${ids[0]}`);
      await expect(run.page.locator('[data-testid=quality-table] tbody tr').count()).resolves.toBe(3);
      await expect(run.page.locator('[data-testid=run-quality]').textContent()).resolves.toMatch(/Accuracy.*right \(\d\/3; 95% interval/);
      await expect(run.page.locator('[data-testid=quality-table] tbody tr').first().textContent()).resolves.toMatch(/any-letter\/\[a-z\]\/i.*✓ 1\/1/);
      expect(run.errors).toEqual([]);
      await run.page.close();
      const cmp = await open(`/compare?runs=${ids.join(',')}`);
      await cmp.page.locator('[data-testid=chart-compare-quality]').waitFor();
      await expect(cmp.page.locator('[data-testid=compare-table] thead').textContent()).resolves.toMatch(/Accuracy.*J\/correct answer/);
      expect(cmp.errors).toEqual([]);
      await cmp.page.close();
    } finally {
      await own.stop();
    }
  });
});

// Last: it replaces and then deletes the database the other tests read.
describe('the database file under a running dashboard', () => {
  const page = async (url: string) => {
    const res = await fetch(`${dashboard.url}${url}`);
    return { status: res.status, html: await res.text() };
  };

  it('is reopened when replaced, and a deleted one is reported, not served from a stale copy', async () => {
    const served = path.join(dir, 'e2e.db');
    expect((await page('/')).html).toContain('>2 runs<');
    // A copy with one run less, renamed over the served file (a restore, a sync, `cp` to a temp name then `mv`).
    const replacement = path.join(dir, 'replacement.db');
    const source = new Database(served, { readonly: true });
    source.exec(`VACUUM INTO '${replacement}'`);
    source.close();
    const edit = new Database(replacement);
    edit.pragma('foreign_keys = ON');
    edit.prepare('DELETE FROM runs WHERE id = ?').run(runIds[1]);
    edit.close();
    fs.renameSync(replacement, served);
    expect((await page('/')).html).toContain('>1 runs<');

    fs.rmSync(served);
    const gone = await page('/');
    expect(gone.status).toBe(200);
    expect(gone.html).toContain('Database deleted');
    expect(gone.html).not.toContain('runs-table');
  });
});
