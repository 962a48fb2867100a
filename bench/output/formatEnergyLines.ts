// The energy lines of the terminal summary: every figure with its unit, source, boundary and method.
import pc from 'picocolors';
import type { RunRecord } from '../../lib/records/getRunRecord';
import { formatNumber } from '../../lib/format/numbers';
import { describeEnergyList } from '../../lib/format/energyLabel';
import { escapeTerminal } from './escapeTerminal';

const LABEL_WIDTH = 34;
const line = (label: string, value: string) => `  ${label.padEnd(LABEL_WIDTH)}${value}`;

export function formatEnergyLines(record: RunRecord): string[] {
  const energy = record.energy;
  if (!energy && record.server?.location === 'remote') {
    return [line('Energy:', `not measured: the server at ${escapeTerminal(record.server.endpoint)} runs on another host, and this machine's sensors see only this machine`)];
  }
  if (!energy) return [line('Energy:', pc.dim('not measured (no power source ran)'))];
  // The stored rows name an estimate's model (energy.estimate_model), also for runs older than the JSON's field.
  const totalLabel = describeEnergyList(record.energyRows.filter((r) => r.countsTowardTotal), 'en');
  const described = record.energyDescription;
  const out = [line(`Energy (${described.basisText}):`, `${pc.bold(`${formatNumber(energy.totalJ, 'en')} J`)}  [${totalLabel}]${energy.partial ? pc.yellow('  partial') : ''}`)];
  // Said right under the figure: the estimate mostly measures time when its constant terms dominate.
  if (described.constantNote) out.push(line('  Note:', pc.yellow(described.constantNote)));
  out.push(line('  In plain words:', described.sentence));
  // A server run: the sensors measure the whole machine (server included); the estimate is attributed by CPU time.
  if (record.server) out.push(line('  Boundary:', `this whole machine, the server included; the estimate's CPU part counts the CPU time of wattbench${record.server.pids.length ? ` and the server (pid ${record.server.pids.join(', ')})` : ' only (server process not found)'}`));
  if (described.window) out.push(line('  Window:', described.window));
  if (energy.joulesPerToken !== null) {
    out.push(line('  Per output token:', `${pc.bold(`${formatNumber(energy.joulesPerToken, 'en')} J/token`)} · ${formatNumber(energy.whPer1kTokens ?? 0, 'en')} Wh per 1,000 tokens`));
  }
  if (energy.prefillJ !== null && energy.prefillJ !== undefined) {
    const perPrompt = energy.prefillJPerPromptToken === null ? '' : ` · ${formatNumber(energy.prefillJPerPromptToken, 'en')} J/prompt token`;
    out.push(line('  Prompt processing:', `${formatNumber(energy.prefillJ, 'en')} J${perPrompt}`));
  }
  if (energy.decodeJ !== null && energy.decodeJ !== undefined) {
    const perToken = energy.decodeJPerToken === null ? '' : ` · ${formatNumber(energy.decodeJPerToken, 'en')} J/token after the first`;
    out.push(line('  Generation:', `${formatNumber(energy.decodeJ, 'en')} J${perToken}`));
  }
  const perResponse = record.results.length ? energy.totalJ / record.results.length : null;
  if (perResponse !== null) out.push(line('  Per response (mean):', `${formatNumber(perResponse, 'en')} J`));
  out.push(line('  Power (mean / peak):', `${formatNumber(energy.meanW, 'en')} W / ${formatNumber(energy.peakW, 'en')} W`));
  out.push(
    line('  Above idle:', energy.netJ === null ? pc.dim('no idle baseline (--idle-seconds 0)') : `${formatNumber(energy.netJ, 'en')} J net · idle ${formatNumber(energy.idleW ?? 0, 'en')} W`),
  );
  for (const s of energy.sources) {
    const tag = s.countsTowardTotal ? '' : pc.dim(' (inside another figure, not added)');
    const windows = s.windowing ? pc.dim(s.windowing === 'edges' ? ' · read at repetition edges' : ' · split pro rata by time') : '';
    out.push(line(`    ${s.source} ${s.domain}:`, `${formatNumber(s.joules, 'en')} J, ${formatNumber(s.meanW, 'en')} W mean  [${s.label}]${windows}${tag}${s.partial ? pc.yellow(` partial: ${escapeTerminal(s.note ?? '')}`) : ''}`));
  }
  if (energy.cpuLoad) {
    const c = energy.cpuLoad;
    const ours = record.server?.pids.length ? 'wattbench + server' : 'this run';
    out.push(line('  CPU during repetitions:', `${formatNumber(c.machinePercent, 'en')} % machine · ${formatNumber(c.processPercent, 'en')} % ${ours} · ${formatNumber(c.othersPercent, 'en')} % others`));
  }
  if (energy.othersLoadWarning) out.push(`  ${pc.yellow(`Warning: ${energy.othersLoadWarning.message}`)}`);
  return out;
}
