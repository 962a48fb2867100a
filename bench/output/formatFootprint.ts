// Terminal text for footprint results, in hyperfine's style: a bold header per case, aligned figures with units and labels.
import { formatFigure, formatParams, formatRange } from '../../lib/footprint/formatQuantity';
import { escapeTerminal } from './escapeTerminal';
import { formatCount } from '../../lib/format/numbers';
import type { CloudComparisonRow, LocalCloudComparison, PublishedFigure, Range, RequestImpactEstimate } from '../../lib/footprint/types';

/**
 * Aligns label / value / tag rows in columns, hyperfine style: "  Energy:   0.0123 Wh   [estimate: …]".
 * A row without a tag ends after its value.
 */
export function alignRows(rows: [label: string, value: string, tag?: string][], indent = '  '): string[] {
  const labelWidth = Math.max(...rows.map(([label]) => label.length + 1));
  const valueWidth = Math.max(...rows.filter((r) => r[2]).map(([, value]) => value.length), 0);
  return rows.map(([label, value, tag]) => {
    const head = `${indent}${`${label}:`.padEnd(labelWidth)}  `;
    return tag ? `${head}${value.padEnd(valueWidth)}   ${tag}` : `${head}${value}`;
  });
}

export interface FormatStyle {
  /** Applied to headers. Defaults to none (plain text); the CLI passes picocolors' bold on a terminal. */
  bold?: (text: string) => string;
}

const plain = (text: string) => text;

function formatPue(range: Range): string {
  return range.low === range.high ? formatFigure(range.low) : `${formatFigure(range.low)}–${formatFigure(range.high)}`;
}

function modelLine(active: Range, total: Range): string {
  const same = active.low === total.low && active.high === total.high;
  return same ? `${formatParams(total)} parameters` : `${formatParams(active)} active of ${formatParams(total)} parameters`;
}

/** The figure lines of one estimate; `localGrid` adds the same energy with the user's grid. */
function estimateRows(
  estimate: RequestImpactEstimate,
  localGrid?: { gco2e: Range; code: string; gCo2ePerKwh: number },
): [string, string, string?][] {
  const f = estimate.factors;
  const gpus = formatRange(estimate.gpus, '× H100 80 GB').replace(/ … /, '–');
  const rows: [string, string, string?][] = [
    ['Energy', formatRange(estimate.energyWh, 'Wh'), `[${estimate.method.label}]`],
    ['Carbon (provider grid)', formatRange(estimate.gco2e, 'gCO2e'), `${formatFigure(f.gridGCo2ePerKwh)} gCO2e/kWh, ${f.gridLabel}`],
  ];
  if (localGrid) {
    rows.push(['Carbon (your grid)', formatRange(localGrid.gco2e, 'gCO2e'), `${formatFigure(localGrid.gCo2ePerKwh)} gCO2e/kWh, ${localGrid.code}`]);
  }
  rows.push(
    ['Water', formatRange(estimate.waterMl, 'mL'), 'cooling on site + generating the electricity'],
    ['Embodied carbon', formatRange(estimate.embodiedGco2e, 'gCO2e'), 'hardware manufacture, not in the carbon above'],
    ['Hardware', gpus, `PUE ${formatPue(f.pue)}, generation ${formatRange(estimate.generationTimeS, 's')}`],
  );
  return rows;
}

/** The hypothetical-request view: `wattbench footprint --active-params …`. */
export function formatEstimate(estimate: RequestImpactEstimate, style: FormatStyle = {}): string {
  const bold = style.bold ?? plain;
  const f = estimate.factors;
  const lines = [
    bold(`Cloud estimate: ${modelLine(estimate.activeParamsB, estimate.totalParamsB)}, ${formatCount(estimate.outputTokens, 'en')} output tokens`),
    ...alignRows([
      ['Data centre', `${f.providerName}, PUE ${formatPue(f.pue)}, on-site WUE ${formatPue(f.wueOnsiteLPerKwh)} L/kWh, off-site ${formatFigure(f.wueOffsiteLPerKwh)} L/kWh`],
      ...estimateRows(estimate),
    ]),
    `  Counts: ${estimate.method.boundary}.`,
  ];
  if (estimate.inputTokens !== null) {
    lines.push(`  Not counted: ${formatCount(estimate.inputTokens, 'en')} input tokens (EcoLogits 0.9.1 estimates from output tokens only).`);
  }
  return `${lines.join('\n')}\n`;
}

function cloudHeader(row: CloudComparisonRow): string {
  const m = row.model;
  if (!row.estimate) return `${row.title}: ${escapeTerminal(m.name)}`;
  const e = row.estimate;
  const kind = m.architecture === 'moe' ? 'mixture of experts' : 'dense';
  const size = m.open ? '' : ', estimated size';
  const how = m.matchedBy === 'own-parameter-count' ? ', size from the GGUF file' : '';
  return `${row.title}: ${escapeTerminal(m.name)} (${modelLine(e.activeParamsB, e.totalParamsB)}, ${kind}${size}${how}) on ${e.factors.providerName}`;
}

function claimQuantities(figure: PublishedFigure): string {
  const q = figure.quantities;
  const parts: string[] = [];
  if (q.energyWh !== undefined) parts.push(`${formatFigure(q.energyWh)} Wh`);
  if (q.energyJPerOutputToken !== undefined) parts.push(`${formatFigure(q.energyJPerOutputToken)} J`);
  if (q.gco2e !== undefined) parts.push(`${formatFigure(q.gco2e)} gCO2e`);
  if (q.waterMl !== undefined) parts.push(`${formatFigure(q.waterMl)} mL water`);
  if (q.adpeMgSbEq !== undefined) parts.push(`${formatFigure(q.adpeMgSbEq)} mg Sb eq`);
  return `${parts.join(', ')} per ${figure.unitOfWork}`;
}

export interface ComparisonHeader {
  runId: number;
  status: string;
  repetitions: number;
}

/** The local-vs-cloud view: `wattbench footprint --run <id>`. */
export function formatComparison(comparison: LocalCloudComparison, header: ComparisonHeader, style: FormatStyle = {}): string {
  const bold = style.bold ?? plain;
  const c = comparison;
  const g = c.grid;
  const origin = g.origin === 'flag' ? 'from --country' : g.origin === 'env' ? 'from WATTBENCH_COUNTRY' : 'default: no country given';
  const reps = `${formatCount(header.repetitions, 'en')} ${header.repetitions === 1 ? 'repetition' : 'repetitions'}`;
  const status = header.status === 'completed' ? '' : `, run ${header.status}`;
  const lines: string[] = [
    bold(`Footprint of run ${header.runId}: ${escapeTerminal(c.local.model.fileName)} · ${formatCount(c.inputTokens, 'en')} input + ${formatCount(c.outputTokens, 'en')} output tokens (${reps}${status})`),
    `Your grid: ${g.name} (${g.code}), ${formatFigure(g.gCo2ePerKwh)} gCO2e/kWh in ${g.year} [Ember via Our World in Data] (${origin})`,
    '',
    bold('This machine'),
  ];
  const l = c.local;
  lines.push(
    ...alignRows([
      ['Energy', l.energyWh === null ? 'not measured' : `${formatFigure(l.energyWh)} Wh`, l.energyWh === null ? 'no power source recorded energy for this run' : `[${l.label}]`],
      ['Carbon (your grid)', l.gco2eLocalGrid === null ? 'not measured' : `${formatFigure(l.gco2eLocalGrid)} gCO2e`, `${formatFigure(g.gCo2ePerKwh)} gCO2e/kWh, ${g.code}`],
      ['Water', 'not estimated', l.waterNote.replace(/^not estimated: /, '')],
    ]),
  );
  // Beside the local figure: the window it covers, and when an estimate is mostly a constant, that.
  if (l.window) lines.push(`  Window: ${l.window}`);
  if (l.constantNote) lines.push(`  Note: ${l.constantNote}`);
  for (const row of c.cloud) {
    lines.push('', bold(cloudHeader(row)));
    if (!row.estimate || !row.gco2eLocalGrid) {
      lines.push(`  not estimated: ${row.unavailableReason ?? 'no estimate'}`);
      continue;
    }
    lines.push(...alignRows(estimateRows(row.estimate, { gco2e: row.gco2eLocalGrid, code: g.code, gCo2ePerKwh: g.gCo2ePerKwh })));
    if (row.fitWarning) lines.push(`  Warning: ${row.fitWarning}`);
  }
  lines.push('', bold('Published figures (the publishers’ own claims, shown as published; not inputs to the estimates)'));
  for (const figure of c.published) {
    lines.push(`  ${figure.publisher}: ${claimQuantities(figure)}`);
    lines.push(`    [published claim: ${figure.publisher}, ${figure.dateLabel}, boundary: ${figure.boundary}; ${figure.citation}]`);
  }
  lines.push('', bold('Notes'), ...c.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}
