// `wattbench power`: lists every power source with its state and, with --watch, prints live power
// by source and domain once per interval until Ctrl-C.
import type { Command } from 'commander';
import pc from 'picocolors';
import { describeEnergy } from '../../lib/format/energyLabel';
import { createCpuUtilisationMeter } from '../../lib/power/cpuUtilisationMeter';
import { detectPowerSources, type DetectedPower } from '../../lib/power/detectPowerSources';
import type { PowerReading, PowerSource, PowerSourceId, SourceStatus } from '../../lib/power/types';
import { idleWattsOption, powerIntervalOption, powerOption, tdpOption } from '../options/commonOptions';

interface PowerCommandOptions {
  power: 'auto' | PowerSourceId[];
  tdp?: number;
  idleWatts?: number;
  watch?: boolean;
  intervalMs: number;
}

export function registerPowerCommand(program: Command): void {
  program
    .command('power')
    .description('List the power sources of this machine; --watch prints live power by source')
    .addOption(powerOption())
    .addOption(tdpOption())
    .addOption(idleWattsOption())
    .option('--watch', 'print power by source once per interval until Ctrl-C')
    .addOption(powerIntervalOption())
    .action(async (opts: PowerCommandOptions) => {
      const detected = await detectPowerSources({
        power: opts.power,
        tdpW: opts.tdp,
        idleWatts: opts.idleWatts,
      });
      process.stdout.write(formatStatuses(detected));
      if (opts.watch) await watch(detected.sources, opts.intervalMs);
      else await Promise.all(detected.sources.map((s) => s.stop()));
    });
}

/** The source list: one line per source (state, used, detail), its fix below, then the notes. */
export function formatStatuses(detected: DetectedPower): string {
  const lines = [pc.bold('Power sources')];
  for (const s of detected.statuses) lines.push(...formatStatus(s));
  for (const note of detected.notes) lines.push(`${pc.yellow('note:')} ${note}`);
  return `${lines.join('\n')}\n`;
}

function formatStatus(s: SourceStatus): string[] {
  const state = s.state === 'available' ? pc.green(s.state) : s.state === 'permission-denied' ? pc.red(s.state) : pc.dim(s.state);
  const used = s.used ? pc.bold('used') : '    ';
  const out = [`  ${s.id.padEnd(9)} ${state}${' '.repeat(Math.max(1, 18 - s.state.length))}${used}  ${s.detail}`];
  if (s.fix) out.push(`  ${' '.repeat(9)} fix: ${s.fix}`);
  return out;
}

function formatReading(r: PowerReading): string {
  const watts = `${r.watts.toFixed(2).padStart(8)} W`;
  const extra = [
    r.utilisation !== undefined ? `${Math.round(r.utilisation * 100)} % busy` : null,
    r.memoryUsedBytes !== undefined ? `${(r.memoryUsedBytes / 1024 ** 3).toFixed(1)} GiB` : null,
  ].filter((x) => x !== null);
  const label = describeEnergy(r, 'en');
  return `  ${r.source.padEnd(9)} ${r.domain.padEnd(14)} ${watts}  ${label}${r.countsTowardTotal ? '' : ' (not in total)'}${extra.length ? `  ${extra.join(', ')}` : ''}`;
}

/** Starts the sources and prints their power every interval until SIGINT or SIGTERM. */
async function watch(sources: PowerSource[], intervalMs: number): Promise<void> {
  const meter = createCpuUtilisationMeter();
  const ctx = () => ({ nowMs: Date.now(), cpuUtilisation: meter.sample() });
  await Promise.all(sources.map((s) => s.start(ctx())));
  process.stdout.write(`Watching power every ${intervalMs / 1000} s; Ctrl-C to stop\n`);
  const tick = () => {
    const c = ctx();
    const readings = sources.flatMap((s) => s.read(c));
    const total = readings.filter((r) => r.countsTowardTotal).reduce((sum, r) => sum + r.watts, 0);
    const time = new Date(c.nowMs).toTimeString().slice(0, 8);
    const lines = [`${pc.bold(time)}  total ${total.toFixed(2)} W  (CPU ${Math.round(c.cpuUtilisation * 100)} %)`];
    lines.push(...readings.map(formatReading));
    for (const s of sources) if (s.failed) lines.push(`  ${s.id.padEnd(9)} ${pc.red('no reading')}: ${s.failureReason ?? 'failed'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  };
  const timer = setInterval(tick, intervalMs);
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
  clearInterval(timer);
  await Promise.all(sources.map((s) => s.stop()));
  meter.close();
  process.stdout.write('stopped\n');
}
