// `wattbench serve`: flags in, notices out; the work is lib/server/serveDashboard.
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, InputError } from '../../lib/errors/WattbenchError';
import { serveDashboard } from '../../lib/server/serveDashboard';
import { isLoopback } from '../../lib/server/allowedHosts';
import { printWarning } from '../output/printError';
import { escapeTerminal } from '../output/escapeTerminal';
import { dbOption, hostOption, portOption } from '../options/commonOptions';
import { parseHost } from '../options/parseOptions';

/** --allowed-host, repeatable or comma-separated: Host names to answer besides those --host implies. */
function collectAllowedHost(value: string, previous: string[] = []): string[] {
  const names = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (!names.length) throw new InputError('--allowed-host needs a host name or address, e.g. --allowed-host bench.lan');
  for (const name of names) {
    try {
      parseHost(name.replace(/^\[(.*)\]$/, '$1'));
    } catch {
      throw new InputError(`--allowed-host must be a host name or an IP address (no port), got "${name}"`);
    }
  }
  return [...previous, ...names];
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Open the dashboard: a read-only web view of the database (builds it on first use).')
    .addOption(portOption())
    .addOption(hostOption())
    .addOption(new Option('--allowed-host <name>', 'a further Host name the dashboard answers (a DNS name, a reverse proxy); repeatable').argParser(collectAllowedHost))
    .addOption(dbOption())
    .option('--build', 'rebuild the dashboard before starting it')
    .action(async (opts: { port: number; host: string; allowedHost?: string[]; db?: string; build?: boolean }) => {
      await serveDashboard(
        { port: opts.port, host: opts.host, db: opts.db, rebuild: opts.build, allowedHosts: opts.allowedHost },
        {
          warning: printWarning,
          building: () => process.stderr.write('Building the dashboard (first use: a minute or two)…\n'),
          ready: (d) => {
            process.stdout.write(`${pc.bold('wattbench dashboard')}: ${pc.cyan(d.url)}  (database ${escapeTerminal(d.dbPath)}; Ctrl-C to stop)\n`);
            const others = d.allowedHosts.filter((h) => !isLoopback(h));
            if (others.length) process.stdout.write(pc.dim(`  answers to ${escapeTerminal(others.join(', '))} too (other names: --allowed-host)\n`));
          },
        },
      );
      process.exitCode = ExitCode.ok;
    });
}
