// `wattbench serve`: builds the dashboard when needed and runs the Next.js production server on a database.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import pc from 'picocolors';
import { InputError, WattbenchError, ExitCode } from '../../lib/errors/WattbenchError';
import { resolveDbPath } from '../../lib/db/dbPath';
import { checkDatabase } from '../../lib/db/checkDatabase';
import { printWarning } from '../output/printError';
import { dbOption, DEFAULT_HOST, DEFAULT_PORT, hostOption, portOption } from '../options/commonOptions';

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
}

export interface DashboardHandle {
  /** Address to open in a browser, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Absolute path of the database the server reads. */
  dbPath: string;
  process: ChildProcess;
  /** Resolves with the server's exit code once it has exited. */
  exited: Promise<number | null>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
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

/**
 * Turbopack refuses files outside the project root, so a checkout whose node_modules is a symlink to another
 * folder (a git worktree sharing one install) builds with webpack instead.
 */
function buildArgs(): string[] {
  const nodeModules = path.join(REPO_ROOT, 'node_modules');
  try {
    const real = fs.realpathSync(nodeModules);
    if (path.relative(REPO_ROOT, real).startsWith('..')) return ['build', '--webpack'];
  } catch {
    // No node_modules: next itself will say so.
  }
  return ['build'];
}

const SOURCE_DIRS = ['app', 'lib'];
const SOURCE_FILES = ['next.config.js', 'package.json', 'tsconfig.json'];

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
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
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

/** Builds if needed, starts `next start` on the database and resolves once it answers. */
export async function startDashboard(options: StartDashboardOptions = {}): Promise<DashboardHandle> {
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  const dbPath = resolveDbPath(options.dbPath);
  const stdio = options.stdio ?? 'inherit';
  if (!(await portFree(host, port))) throw new InputError(`port ${port} on ${host} is in use (or the address is not available); pass another --port`);
  if (needsBuild(options.build ?? 'missing')) await buildDashboard(stdio);

  const child = spawn(process.execPath, [nextCli(), 'start', '-H', host, '-p', String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, WATTBENCH_DB: dbPath, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = urlOf(host, port);
  try {
    await waitUntilReady(urlOf(connectHost(host), port), child, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    dbPath,
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

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Open the dashboard: a read-only web view of the database (builds it on first use).')
    .addOption(portOption())
    .addOption(hostOption())
    .addOption(dbOption())
    .option('--build', 'rebuild the dashboard before starting it')
    .action(async (opts: { port: number; host: string; db?: string; build?: boolean }) => {
      const { port, host } = opts;
      const dbPath = resolveDbPath(opts.db);
      const checked = checkDatabase(dbPath, { mode: 'read', allowMissing: true });
      if (checked.warning) printWarning(checked.warning);
      if (!isLoopback(host)) {
        printWarning(`--host ${host} makes the dashboard reachable from other machines; it is read-only but shows every run, model and host name. Use --host 127.0.0.1 to keep it local.`);
      }
      if (!fs.existsSync(dbPath)) {
        printWarning(`no database at ${dbPath} yet: the dashboard shows an empty page until \`wattbench run --model …\` writes one (or pass --db)`);
      }
      if (needsBuild(opts.build ? 'always' : 'stale')) process.stderr.write('Building the dashboard (first use: a minute or two)…\n');
      const dashboard = await startDashboard({ port, host, dbPath, build: opts.build ? 'always' : 'stale' });
      process.stdout.write(`${pc.bold('wattbench dashboard')}: ${pc.cyan(dashboard.url)}  (database ${dashboard.dbPath}; Ctrl-C to stop)\n`);

      let signalled = false;
      const forward = (signal: NodeJS.Signals) => {
        signalled = true;
        dashboard.process.kill(signal);
      };
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      const code = await dashboard.exited;
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (!signalled && code !== 0) throw new WattbenchError(`the dashboard server stopped (exit ${code})`);
      process.exitCode = ExitCode.ok;
    });
}
