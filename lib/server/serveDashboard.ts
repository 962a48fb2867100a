// `wattbench serve` as a library function: the checks and notices before starting, the start, and waiting
// until the server stops (forwarding Ctrl-C). The command only parses flags and prints what this reports.
import fs from 'node:fs';
import { WattbenchError } from '../errors/WattbenchError';
import { resolveDbPath } from '../db/dbPath';
import { checkDatabase } from '../db/checkDatabase';
import { isLoopback, isWildcard } from './allowedHosts';
import { needsBuild, startDashboard, type DashboardHandle } from './startDashboard';

export interface ServeOptions {
  port: number;
  host: string;
  /** --db; undefined: WATTBENCH_DB, else the default file. */
  db?: string;
  /** --build: rebuild even when the build is current. */
  rebuild?: boolean;
  /** --allowed-host: extra Host names to answer. */
  allowedHosts?: readonly string[];
}

/** What serveDashboard tells its caller about; the CLI prints these, a test can collect them. */
export interface ServeEvents {
  warning(message: string): void;
  /** A `next build` is about to run (a minute or two). */
  building(): void;
  /** The server answers. */
  ready(dashboard: DashboardHandle): void;
}

/** Notices about a configuration that works but may not be what the user meant. */
export function serveWarnings(host: string, dbPath: string): string[] {
  const warnings: string[] = [];
  if (!isLoopback(host)) {
    const reach = isWildcard(host) ? 'every network this machine is on' : `the network of ${host}`;
    warnings.push(`--host ${host} makes the dashboard reachable from ${reach}; it is read-only but shows every run, model and host name. Use --host 127.0.0.1 to keep it local.`);
  }
  if (!fs.existsSync(dbPath)) {
    warnings.push(`no database at ${dbPath} yet: the dashboard shows an empty page until \`wattbench run --model …\` writes one (or pass --db)`);
  }
  return warnings;
}

/**
 * Starts the dashboard and resolves when its server has stopped: normally on SIGINT/SIGTERM, which are
 * forwarded to it. Throws when it cannot start, or when it stops with an error on its own.
 */
export async function serveDashboard(options: ServeOptions, events: ServeEvents): Promise<void> {
  const dbPath = resolveDbPath(options.db);
  // A database the pages cannot read is refused here, in one line, before any build or server start.
  const checked = checkDatabase(dbPath, { mode: 'read', allowMissing: true });
  if (checked.warning) events.warning(checked.warning);
  for (const warning of serveWarnings(options.host, dbPath)) events.warning(warning);
  const build = options.rebuild ? 'always' : 'stale';
  if (needsBuild(build)) events.building();
  const dashboard = await startDashboard({ port: options.port, host: options.host, dbPath, build, allowedHosts: options.allowedHosts });
  events.ready(dashboard);
  await untilDashboardStops(dashboard);
}

/**
 * Waits until a started dashboard's server has stopped, forwarding Ctrl-C and SIGTERM to it; throws when it
 * stops with an error on its own. `serve` and `workshop` both end this way.
 */
export async function untilDashboardStops(dashboard: DashboardHandle): Promise<void> {
  let signalled = false;
  const forward = (signal: NodeJS.Signals) => {
    signalled = true;
    dashboard.process.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    const code = await dashboard.exited;
    if (!signalled && code !== 0) throw new WattbenchError(`the dashboard server stopped (exit ${code})`);
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
