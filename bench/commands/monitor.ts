// `wattbench monitor`: record power by source and a process's CPU and memory (or the whole machine's) into the
// database as a monitor run, until Ctrl-C, SIGTERM, the duration or the process's exit; then print its energy.
import { Command, Option } from 'commander';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { ExitCode, InputError, signalExitCode } from '../../lib/errors/WattbenchError';
import { findPid, findProcessesByName } from '../../lib/monitor/findProcesses';
import { findServerOfProcesses, probeNamedServer, processesOfEndpoint, type ServerLookup } from '../../lib/monitor/findWatchedServer';
import { describeEnergyList } from '../../lib/format/energyLabel';
import { describeNotCounted } from '../../lib/monitor/notCountedReason';
import type { MonitorTarget } from '../../lib/monitor/runMonitor';
import type { PowerSourceId } from '../../lib/power/types';
import { RUN_DEFAULTS } from '../../lib/runner/runDefaults';
import { dbOption, idleWattsOption, jsonOption, powerOption, tdpOption } from '../options/commonOptions';
import { sampleIntervalOption } from '../options/runOptions';
import { FLAG_RANGES, describeRange } from '../options/flagRanges';
import { rangeOption } from '../options/parseOptions';
import { checkPowerFlags, setupPower } from './runPower';
import { printWarning } from '../output/printError';
import { formatMonitorStatus, formatMonitorSummary } from '../output/formatMonitorSummary';
import { interceptRunInterrupts } from './runInterrupts';

interface MonitorCommandOptions {
  pid?: number;
  process?: string;
  endpoint?: string;
  duration?: number;
  label?: string;
  db?: string;
  json?: boolean;
  power: 'auto' | PowerSourceId[];
  tdp?: number;
  idleWatts?: number;
  sampleIntervalMs: number;
}

export function registerMonitorCommand(program: Command): void {
  program
    .command('monitor')
    .description('record power and a process\'s CPU and memory (or the whole machine\'s) as a monitor run, until Ctrl-C or --duration')
    .addOption(new Option('--pid <n>', `the process to watch, ${describeRange(FLAG_RANGES.pid)}`).argParser(rangeOption(FLAG_RANGES.pid)))
    .option('--process <name>', 'watch every process of this name (its command name or executable, e.g. ollama, llama-server); several are summed')
    .option('--endpoint <url>', 'the server the watched process runs (e.g. http://127.0.0.1:8080), whose requests are counted; without --pid/--process, its listening processes are watched (default: found by the ports the process listens on)')
    .addOption(new Option('--duration <s>', `stop after this long, ${describeRange(FLAG_RANGES.monitorDurationS)} (default: until Ctrl-C or the process exits)`).argParser(rangeOption(FLAG_RANGES.monitorDurationS)))
    .option('--label <text>', 'a free-text label stored with the run')
    .addOption(dbOption())
    .addOption(jsonOption('one JSON object with the run record at the end (no status line)'))
    .addOption(powerOption())
    .addOption(tdpOption())
    .addOption(idleWattsOption())
    .addOption(sampleIntervalOption())
    .action(async (opts: MonitorCommandOptions) => {
      process.exitCode = await monitorCommand(opts);
    });
}

function findTarget(opts: MonitorCommandOptions): MonitorTarget {
  if (opts.pid !== undefined && opts.process !== undefined) throw new InputError('--pid and --process each name what to watch: pass one of them (or neither, for the whole machine)');
  if (opts.pid !== undefined) {
    const found = findPid(opts.pid);
    return { kind: 'pid', name: found.name, processes: [found] };
  }
  if (opts.process !== undefined) return { kind: 'process', name: opts.process, processes: findProcessesByName(opts.process) };
  if (opts.endpoint !== undefined) {
    const processes = processesOfEndpoint(opts.endpoint).map((pid) => findPid(pid));
    return processes.length === 1 ? { kind: 'pid', name: processes[0].name, processes } : { kind: 'process', name: processes[0].name, processes };
  }
  return { kind: 'machine', name: null, processes: [] };
}

/** The server whose requests are counted: --endpoint (it must answer), else one the watched processes listen for. */
async function findServer(opts: MonitorCommandOptions, target: MonitorTarget): Promise<ServerLookup> {
  if (opts.endpoint !== undefined) return { server: await probeNamedServer(opts.endpoint), reason: null };
  if (target.kind === 'machine') return { server: null, reason: { code: 'wholeMachine', params: {} } };
  return findServerOfProcesses(target.processes);
}

export async function monitorCommand(opts: MonitorCommandOptions): Promise<number> {
  // Flags, then the target, before the database is opened: bad input writes nothing.
  const target = findTarget(opts);
  const lookup = await findServer(opts, target);
  const hardware = await detectHardware();
  checkPowerFlags(opts, hardware);
  const power = await setupPower(opts, hardware);
  for (const warning of power.warnings) if (!opts.json) printWarning(warning);
  const db = (() => {
    try {
      return openDb(resolveDbPath(opts.db));
    } catch (err) {
      void Promise.all(power.sources.map((s) => s.stop()));
      throw err;
    }
  })();
  const { runMonitor } = await import('../../lib/monitor/runMonitor');
  const interactive = !opts.json && process.stderr.isTTY === true;
  // The live figure's label, as every energy figure's: source (or estimate model) and boundary of what is counted.
  const energyLabel = describeEnergyList(
    power.sources.flatMap((s) => s.domains.filter((d) => d.countsTowardTotal).map((d) => ({ source: s.id, boundary: d.boundary, method: d.method, model: d.model }))),
    'en',
  );

  const interrupts = interceptRunInterrupts();
  try {
    if (!opts.json) {
      process.stderr.write(`Monitoring ${target.kind === 'machine' ? 'the whole machine' : target.processes.map((p) => `pid ${p.pid} (${p.name})`).join(', ')}${opts.duration ? ` for ${opts.duration} s` : ''}…\n`);
      process.stderr.write(lookup.server ? `Counting the requests of ${lookup.server.probe.kind} at ${lookup.server.probe.baseUrl}\n` : `Requests not counted: ${describeNotCounted(lookup.reason, 'en')}\n`);
    }
    const outcome = await runMonitor({
      db,
      hardware,
      target,
      durationMs: opts.duration === undefined ? null : opts.duration * 1000,
      label: opts.label,
      power: opts.power === 'auto' ? 'auto' : opts.power.join(','),
      powerSources: power.sources,
      sampleIntervalMs: opts.sampleIntervalMs ?? RUN_DEFAULTS.sampleIntervalMs,
      signal: interrupts.signal,
      server: lookup.server,
      notServerReason: lookup.reason ?? undefined,
      onStatus: interactive ? (s) => process.stderr.write(`\r\x1b[2K${formatMonitorStatus(s, energyLabel)}`) : undefined,
    }).finally(() => {
      interrupts.markOver();
      if (interactive) process.stderr.write('\r\x1b[2K');
    });
    const record = getRunRecord(db, outcome.runId);
    process.stdout.write(opts.json ? `${JSON.stringify(record)}\n` : `${formatMonitorSummary(record)}\n`);
    if (!opts.json) for (const note of power.notes) process.stdout.write(`  Note: ${note}\n`);
    if (outcome.status === 'completed') return ExitCode.ok;
    return outcome.interruptedBy ? signalExitCode(outcome.interruptedBy) : ExitCode.interrupted;
  } finally {
    interrupts.dispose();
    db.$client.close();
  }
}
