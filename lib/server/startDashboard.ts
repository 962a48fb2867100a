// Starting the dashboard: `next build` when needed, then Next's production server on a database, told which Host names to
// answer; resolves once the server answers.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { InputError, WattbenchError } from '../errors/WattbenchError';
import { resolveDbPath } from '../db/dbPath';
import { ALLOWED_HOSTS_ENV, allowedHosts } from './allowedHosts';
import { DEFAULT_HOST, DEFAULT_PORT } from './defaults';
import { envWithoutComputePool } from '../engine/computePool';

/** The repository root: where app/, next.config.js and .next/ live. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartDashboardOptions {
  /** TCP port. Defaults to 3000. */
  port?: number;
  /** Interface to bind. Defaults to 127.0.0.1 (this machine only). */
  host?: string;
  /** Database file; relative paths are resolved from the working directory. Defaults to resolveDbPath(). */
  dbPath?: string;
  /**
   * When to run `next build` first: "missing" (no .next/BUILD_ID), "stale" (also when a source file is newer
   * than the build) or "always". Defaults to "missing".
   */
  build?: 'missing' | 'stale' | 'always';
  /** Where the build's and the server's output go. Defaults to "inherit". */
  stdio?: 'inherit' | 'ignore';
  /** How long to wait for the server to answer, ms. Defaults to 60,000. */
  readyTimeoutMs?: number;
  /** Host names to accept besides the ones `host` implies (see allowedHosts). */
  allowedHosts?: readonly string[];
}

export interface DashboardHandle {
  /** Address to open in a browser on this machine, e.g. http://127.0.0.1:3000 (also when bound to 0.0.0.0) */
  url: string;
  /** Absolute path of the database the server reads. */
  dbPath: string;
  /** The Host names the server answers; others get 421. */
  allowedHosts: string[];
  process: ChildProcess;
  /** Resolves with the server's exit code once it has exited. */
  exited: Promise<number | null>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** The address a local client connects to for a bind address ("0.0.0.0" → "127.0.0.1"). */
function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function urlOf(host: string, port: number): string {
  return `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}

function nextCli(): string {
  return createRequire(import.meta.url).resolve('next/dist/bin/next');
}

/** The server script that runs Next's handler with the peer address taken from the socket (see the file). */
const SERVER_SCRIPT = path.join(REPO_ROOT, 'lib', 'server', 'nextServer.mjs');

/**
 * The dashboard is built with webpack, not Turbopack: Turbopack cannot keep node-llama-cpp (an ES module) outside
 * the server bundle, which the Which model page needs (it reads the GGUF headers of the models on this disk), and
 * it refuses files outside the project root (a git worktree whose node_modules is a symlink).
 */
function buildArgs(): string[] {
  return ['build', '--webpack'];
}

const SOURCE_DIRS = ['app', 'lib'];
const SOURCE_FILES = ['next.config.js', 'proxy.ts', 'package.json', 'tsconfig.json'];

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    } else if (st.mtimeMs > newest) {
      newest = st.mtimeMs;
    }
  };
  for (const d of SOURCE_DIRS) visit(path.join(REPO_ROOT, d));
  for (const f of SOURCE_FILES) visit(path.join(REPO_ROOT, f));
  return newest;
}

/** True when `next build` must run for the given policy. */
export function needsBuild(policy: 'missing' | 'stale' | 'always' = 'missing'): boolean {
  if (policy === 'always') return true;
  const buildId = path.join(REPO_ROOT, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  return policy === 'stale' && newestSourceMtime() > fs.statSync(buildId).mtimeMs;
}

/** Runs `next build` in the repository (a minute or two). */
export async function buildDashboard(stdio: 'inherit' | 'ignore' = 'inherit'): Promise<void> {
  const child = spawn(process.execPath, [nextCli(), ...buildArgs()], {
    cwd: REPO_ROOT,
    env: { ...envWithoutComputePool(), NEXT_TELEMETRY_DISABLED: '1' },
    stdio: stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new WattbenchError(`building the dashboard failed (next build exited with ${code})${stderr ? `: ${stderr.trim()}` : ''}`);
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new WattbenchError(`the dashboard server exited before it was ready (exit ${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(`${url}/api/live`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new WattbenchError(`the dashboard server did not answer within ${Math.round(timeoutMs / 1000)} s`);
}

/** Builds if needed, starts Next's production server (`nextServer.mjs`) on the database and resolves once it answers. */
export async function startDashboard(options: StartDashboardOptions = {}): Promise<DashboardHandle> {
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  const dbPath = resolveDbPath(options.dbPath);
  const stdio = options.stdio ?? 'inherit';
  if (!(await portFree(host, port))) throw new InputError(`port ${port} on ${host} is in use (or the address is not available); pass another --port`);
  if (needsBuild(options.build ?? 'missing')) await buildDashboard(stdio);

  const hosts = allowedHosts(host, options.allowedHosts);
  const child = spawn(process.execPath, [SERVER_SCRIPT, REPO_ROOT, host, String(port)], {
    cwd: REPO_ROOT,
    env: { ...envWithoutComputePool(), WATTBENCH_DB: dbPath, [ALLOWED_HOSTS_ENV]: hosts.join(','), NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Bound to every interface, the address to open is loopback's: "0.0.0.0" is no Host name the server answers.
  const url = urlOf(connectHost(host), port);
  try {
    await waitUntilReady(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    dbPath,
    allowedHosts: hosts,
    process: child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
