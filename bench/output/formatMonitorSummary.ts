// The terminal's view of a monitor run: the live status line, and the summary at the end (energy with its
// label, mean power, energy per hour, the watched processes' CPU and memory).
import pc from 'picocolors';
import type { RunRecord } from '../../lib/records/getRunRecord';
import type { MonitorStatus } from '../../lib/monitor/runMonitor';
import { formatDuration, formatNumber } from '../../lib/format/numbers';
import { formatBytes, formatPercent } from '../../lib/format/units';
import { describeEnergyList } from '../../lib/format/energyLabel';
import { escapeTerminal } from './escapeTerminal';
import { describeMonitorTarget } from '../../lib/format/monitorTarget';

const LABEL_WIDTH = 34;
const line = (label: string, value: string) => `  ${label.padEnd(LABEL_WIDTH)}${value}`;

/** One line, rewritten once a second on a terminal: elapsed, W, J so far (and whether estimated), process CPU. */
export function formatMonitorStatus(s: MonitorStatus, estimated: boolean): string {
  const parts = [
    `monitor ${formatDuration(s.elapsedMs, 'en', ' ')}`,
    s.powerW === null ? 'power not measured' : `${formatNumber(s.powerW, 'en')} W`,
    `${formatNumber(s.joules, 'en')} J${estimated ? ' (estimate)' : ''}`,
    s.processCpuPercent === null ? `machine CPU ${formatPercent(s.cpuPercent, 'en')}` : `process CPU ${formatPercent(s.processCpuPercent, 'en')} of the machine`,
  ];
  if (s.rssBytes !== null) parts.push(`RSS ${formatBytes(s.rssBytes, 'en')}`);
  return `${parts.join(' · ')} · Ctrl-C to stop`;
}

/** What was watched, in words (the shared wording of lib/format/monitorTarget), its name escaped. */
export function describeRecordTarget(record: RunRecord): string {
  const m = record.monitor;
  if (!m) return describeMonitorTarget({ target: 'machine', name: null, pids: [] }, 'en');
  return escapeTerminal(describeMonitorTarget({ target: m.target, name: m.name, pids: m.processes.map((p) => p.pid) }, 'en'));
}

export function formatMonitorSummary(record: RunRecord): string {
  const m = record.monitor;
  const status = record.displayStatus === 'completed' ? pc.green(record.displayStatus) : pc.yellow(record.displayStatus);
  const out = [`${pc.bold(`Monitor run ${record.id}`)} (${status}): ${describeRecordTarget(record)}${record.label ? ` · ${escapeTerminal(record.label)}` : ''}`];
  if (record.error) out.push(line('Ended:', escapeTerminal(record.error)));
  out.push(line('Window:', formatDuration(m?.windowMs, 'en', ' ')));
  const energy = record.energy;
  if (!energy) {
    out.push(line('Energy:', pc.dim('not measured (no power source ran)')));
  } else {
    const counted = describeEnergyList(record.energyRows.filter((r) => r.countsTowardTotal), 'en');
    const described = record.energyDescription;
    out.push(line(`Energy (${described.basisText}):`, `${pc.bold(`${formatNumber(energy.totalJ, 'en')} J`)}  [${counted}]${energy.partial ? pc.yellow('  partial') : ''}`));
    if (described.constantNote) out.push(line('  Note:', pc.yellow(described.constantNote)));
    out.push(line('  In plain words:', described.sentence));
    out.push(line('  Covers:', 'the whole monitor window, from its start to its end'));
    out.push(line('  Power (mean / peak):', `${formatNumber(energy.meanW, 'en')} W / ${formatNumber(energy.peakW, 'en')} W`));
    if (m?.joulesPerHour !== null && m?.joulesPerHour !== undefined) {
      out.push(line('  Per hour:', `${formatNumber(m.joulesPerHour, 'en')} J · ${formatNumber(m.joulesPerHour / 3600, 'en')} Wh`));
    }
    for (const s of energy.sources) {
      const tag = s.countsTowardTotal ? '' : pc.dim(' (inside another figure, not added)');
      out.push(line(`    ${s.source} ${s.domain}:`, `${formatNumber(s.joules, 'en')} J, ${formatNumber(s.meanW, 'en')} W mean  [${s.label}]${tag}${s.partial ? pc.yellow(` partial: ${escapeTerminal(s.note ?? '')}`) : ''}`));
    }
  }
  if (m && m.target !== 'machine') {
    out.push(line('Process CPU (mean):', `${formatPercent(m.meanProcessCpuPercent, 'en', 1)} of the machine (whole machine ${formatPercent(m.meanMachineCpuPercent, 'en', 1)})`));
    out.push(line('Process memory (peak RSS):', formatBytes(m.peakRssBytes, 'en')));
  } else {
    out.push(line('Machine CPU (mean):', formatPercent(m?.meanMachineCpuPercent, 'en', 1)));
  }
  out.push(line('Requests:', pc.dim('not counted (the server exposes no request counter wattbench reads)')));
  return out.join('\n');
}
