// `wattbench workshop`: the leader's side of a workshop. Checks the model(s) and the suite, creates the workshop
// (join code, upload token) in the database, serves the dashboard on the local network (the one command that
// binds beyond loopback by default, and says so), and prints the join command, its QR code and the projector page.
import path from 'node:path';
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { renderUnicodeCompact } from 'uqr';
import { ExitCode, InputError } from '../../lib/errors/WattbenchError';
import { resolveDbPath } from '../../lib/db/dbPath';
import { loadSuite } from '../../lib/suites/loadSuite';
import { sha256File } from '../../lib/model/sha256File';
import { RUN_DEFAULTS } from '../../lib/runner/runDefaults';
import { needsBuild, startDashboard } from '../../lib/server/startDashboard';
import { untilDashboardStops } from '../../lib/server/serveDashboard';
import { applyServerEnv, createWorkshopIn } from '../../lib/db/pg/createWorkshopIn';
import { resolveDatabaseTarget } from '../../lib/db/pg/resolveDatabaseTarget';
import { lanAddresses, urlHost } from '../../lib/workshop/client/lanAddresses';
import { joinUrl, projectorUrl } from '../../lib/workshop/links';
import { dbOption, portOption } from '../options/commonOptions';
import { escapeTerminal } from '../output/escapeTerminal';
import { printWarning } from '../output/printError';
import { formatNumber } from '../../lib/format/numbers';

interface WorkshopOptions {
  name?: string;
  model?: string;
  suite: string;
  port: number;
  db?: string;
  databaseUrl?: string;
}

export function registerWorkshopCommand(program: Command): void {
  program
    .command('workshop')
    .description('lead a workshop: serve a model and a suite to the laptops of the room, collect their runs on one leaderboard (reachable on the local network)')
    .option('--name <text>', 'the workshop\'s name, shown on its page (default: "Workshop" and the date)')
    .option('-m, --model <file[,file…]>', 'the GGUF file(s) the participants download and run (default: WATTBENCH_MODEL)')
    .option('-s, --suite <name|file>', 'bundled suite (smoke, standard, pp-tg, quality) or a suite JSON file', RUN_DEFAULTS.suite)
    .addOption(portOption())
    .addOption(dbOption())
    .addOption(new Option('--database-url <url>', 'a PostgreSQL database instead of the SQLite file (default: WATTBENCH_DATABASE_URL)').conflicts('db'))
    .action(async (opts: WorkshopOptions) => {
      process.exitCode = await workshopCommand(opts);
    });
}

function checkName(name: string | undefined): string {
  if (name === undefined) return `Workshop ${new Date().toISOString().slice(0, 10)}`;
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 80 || /[\u0000-\u001f\u007f]/.test(trimmed)) throw new InputError('--name must be 1 to 80 printable characters');
  return trimmed;
}

export async function workshopCommand(opts: WorkshopOptions): Promise<number> {
  // SQLite (--db, WATTBENCH_DB) or PostgreSQL (--database-url, WATTBENCH_DATABASE_URL): a bad URL is exit 2 before any work.
  const target = resolveDatabaseTarget({ db: opts.db, databaseUrl: opts.databaseUrl });
  const name = checkName(opts.name);
  const spec = opts.model ?? process.env.WATTBENCH_MODEL;
  if (!spec) throw new InputError('no model given; pass --model path/to/model.gguf (the file the participants will download) or set WATTBENCH_MODEL');
  const files = spec.split(',').map((s) => s.trim());
  if (files.some((f) => f === '')) throw new InputError(`--model "${spec}" has an empty element; separate the files with single commas`);
  for (const f of files) {
    if (/^(hf|ollama):|^https?:\/\//.test(f)) throw new InputError(`--model "${f}": a workshop serves local files; download it first (\`wattbench run --model ${f}\` does), then pass its path`);
    if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new InputError(`--model ${path.resolve(f)} does not exist; pass the path of a .gguf file`);
  }
  if (new Set(files.map((f) => path.resolve(f))).size !== files.length) throw new InputError('--model lists a file twice; give each file once');
  const suite = loadSuite(opts.suite);

  // Every file checked (a bad one is one line, exit 2) and hashed before anything is written.
  const { inspectModelFile } = await import('../../lib/model/inspectModelFile');
  const models = [];
  for (const file of files) {
    const filePath = path.resolve(file);
    await inspectModelFile(filePath);
    process.stderr.write(pc.dim(`Computing the SHA-256 of ${escapeTerminal(path.basename(filePath))}…\n`));
    models.push({ fileName: path.basename(filePath), path: filePath, bytes: fs.statSync(filePath).size, sha256: await sha256File(filePath) });
  }

  const created = await createWorkshopIn(target, { name, suite: suite.suite, models });
  const { code, token } = created;
  // The dashboard's server finds the same database (its workshop routes and pages: getDashboardWorkshopStore).
  applyServerEnv(created);
  const dbPath = target.dialect === 'sqlite' ? target.path : resolveDbPath(undefined);

  const addresses = lanAddresses();
  if (!addresses.length) printWarning('this machine has no network address besides loopback: only participants on this machine can join; connect it to the room\'s Wi-Fi and start again');
  if (needsBuild('stale')) process.stderr.write('Building the dashboard (first use: a minute or two)…\n');
  const dashboard = await startDashboard({ port: opts.port, host: '0.0.0.0', dbPath, build: 'stale', allowedHosts: addresses });

  const hosts = addresses.length ? addresses : ['127.0.0.1'];
  const joinAt = (host: string) => joinUrl(`http://${urlHost(host)}:${opts.port}`, code, token);
  const lines = [
    '',
    `${pc.bold(`wattbench workshop "${escapeTerminal(name)}"`)} · code ${pc.bold(code)} · suite ${escapeTerminal(suite.suite.name)} · ${models.map((m) => `${escapeTerminal(m.fileName)} (${formatNumber(m.bytes / 2 ** 20, 'en')} MiB)`).join(', ')}`,
    pc.yellow(`Reachable on the local network: the dashboard listens on every interface (0.0.0.0:${opts.port}), not only this machine.`),
    `  Anyone on this network can read the room's page; only those with the join link (its #token) can publish runs.`,
    `  LAN address${hosts.length === 1 ? '' : 'es'}: ${hosts.join(', ')}`,
    '',
    'Participants run:',
    ...hosts.map((h) => `  ${pc.cyan(`npx wattbench join ${joinAt(h)}`)}`),
    '',
    renderUnicodeCompact(joinAt(hosts[0])),
    `Projector page (open it on this machine; it shows the join link and its QR code): ${pc.cyan(projectorUrl(dashboard.url, code, joinAt(hosts[0])))}`,
    `Room page: http://${urlHost(hosts[0])}:${opts.port}/${code}`,
    pc.dim(`Database ${escapeTerminal(created.display)} · Ctrl-C to stop`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await untilDashboardStops(dashboard);
  return ExitCode.ok;
}
