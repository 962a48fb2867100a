// Shared pieces of the browser tests: the real CLI, a free port, Debian's Chromium, console-error capture.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLI, REPO_ROOT } from '../helpers/paths';

/** The wattbench CLI the tests drive: the real one. */
export const E2E_CLI = CLI;
export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'img');
export const VIEWPORT = { width: 1280, height: 720 };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `wattbench <args>` to completion. */
export function runCli(args: string[], timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [E2E_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `wattbench <args>` in the background (a long run the Live page watches). */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [E2E_CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
}

/** Starts `wattbench serve <args>` and resolves once it prints its address (after a build, when the sources are newer). */
export function startServe(args: string[]): Promise<ChildProcess> {
  const serve = spawn(process.execPath, [E2E_CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise<ChildProcess>((resolve, reject) => {
    let out = '';
    serve.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('wattbench dashboard:')) resolve(serve);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready`)));
  });
}

/** Stops a `serve` as Ctrl-C would, and waits until it has exited. */
export async function stopServe(serve: ChildProcess | undefined): Promise<void> {
  if (!serve || serve.exitCode !== null || serve.signalCode !== null) return;
  const exited = new Promise((resolve) => serve.once('exit', resolve));
  serve.kill('SIGINT');
  await exited;
}

/** Collects console errors and uncaught page errors of one page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Number of drawn SVG paths (lines, bars, markers) inside an element. */
export function svgPaths(page: Page, selector: string): Promise<number> {
  return page.locator(`${selector} svg path`).count();
}
