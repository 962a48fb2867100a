// The terminal's view of a monitor run: the live status line, and the summary at the end (energy with its
// label, mean power, energy per hour and per request, the watched processes' CPU and memory, the server's requests).
import pc from 'picocolors';
import type { RunRecord } from '../../lib/records/getRunRecord';
import type { MonitorStatus } from '../../lib/monitor/runMonitor';
import { formatCount, formatDuration, formatNumber } from '../../lib/format/numbers';
import { formatBytes, formatPercent } from '../../lib/format/units';
import { describeEnergyList } from '../../lib/format/energyLabel';
import { escapeTerminal } from './escapeTerminal';
import { describeMonitorTarget } from '../../lib/format/monitorTarget';

const LABEL_WIDTH = 34;
const line = (label: string, value: string) => `  ${label.padEnd(LABEL_WIDTH)}${value}`;

/** One line, rewritten once a second on a terminal: elapsed, W, J so far with the energy label, process CPU, requests. */
export function formatMonitorStatus(s: MonitorStatus, energyLabel: string): string {
  const parts = [
    `monitor ${formatDuration(s.elapsedMs, 'en', ' ')}`,
    s.powerW === null ? 'power not measured' : `${formatNumber(s.powerW, 'en')} W`,
    `${formatNumber(s.joules, 'en')} J [${energyLabel}]`,
    s.processCpuPercent === null ? `machine CPU ${formatPercent(s.cpuPercent, 'en')}` : `process CPU ${formatPercent(s.processCpuPercent, 'en')} of the machine`,
  ];
  if (s.rssBytes !== null) parts.push(`RSS ${formatBytes(s.rssBytes, 'en')}`);
  if (s.requests !== null) parts.push(`${s.requestsExact ? '' : '≥ '}${formatCount(s.requests, 'en')} request${s.requests === 1 ? '' : 's'}`);
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
  out.push(...formatRequestLines(record));
  return out.join('\n');
}

/** The watched server's requests: how many and from what, energy per request with its label, the server's tokens; or why not counted. */
export function formatRequestLines(record: RunRecord): string[] {
  const r = record.monitor?.requests;
  if (!r || r.requests === null) return [line('Requests:', pc.dim(`not counted: ${escapeTerminal(r?.notCounted ?? 'no server was found')}`))];
  const bound = r.exact ? '' : 'at least ';
  const server = `${escapeTerminal(r.kind ?? 'server')} at ${escapeTerminal(r.endpoint ?? '?')}`;
  const out = [line('Requests:', `${pc.bold(`${bound}${formatCount(r.requests, 'en')}`)} served by ${server}`)];
  out.push(line('  Counted from:', `${escapeTerminal(r.method ?? '')}${r.exact ? '' : `, polled every ${formatDuration(r.pollIntervalMs, 'en', ' ')}: a request that starts and ends between two polls is missed`}`));
  if (r.failedPolls > 0) out.push(line('  Failed polls:', pc.yellow(`${formatCount(r.failedPolls, 'en')} of ${formatCount(r.polls, 'en')} (${escapeTerminal(r.lastError ?? '')})`)));
  const perRequest = record.monitor?.joulesPerRequest ?? null;
  if (perRequest !== null) {
    const counted = describeEnergyList(record.energyRows.filter((e) => e.countsTowardTotal), 'en');
    out.push(line('  Energy per request:', `${r.exact ? '' : 'at most '}${formatNumber(perRequest, 'en')} J/request  [${counted}]  (the window's energy / the requests)`));
  } else if (r.requests === 0) {
    out.push(line('  Energy per request:', pc.dim('none: no request was served in the window')));
  } else {
    out.push(line('  Energy per request:', pc.dim('not measured (no power source ran)')));
  }
  const tokens = r.promptTokens !== null || r.outputTokens !== null;
  out.push(line('  Tokens (the server\'s):', tokens ? `${r.promptTokens === null ? '–' : formatCount(r.promptTokens, 'en')} prompt, ${r.outputTokens === null ? '–' : formatCount(r.outputTokens, 'en')} generated  (${escapeTerminal(r.tokensMethod ?? '')})` : pc.dim(escapeTerminal(r.tokensMethod ?? 'not reported'))));
  return out;
}
