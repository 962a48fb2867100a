// `wattbench models` on a terminal: one table of the models found, the problems of those that cannot be used,
// and where it looked. Names and paths come from files: formatTable escapes them.
import type { DiscoveredModel, ModelDiscovery } from '../../lib/model/discoverModels';
import { formatCount, formatNumber, formatParameterCount } from '../../lib/format/numbers';
import { formatBytes } from '../../lib/format/units';
import { MIN_AUTO_CONTEXT } from '../../lib/runner/runDefaults';
import { escapeTerminal } from './escapeTerminal';
import { formatTable, type TableColumn } from './formatTable';

/** 260K, 15.2M, 7.24B parameters. */
const formatParameters = (n: number | null): string => formatParameterCount(n, 'en');

/** Terminal bytes: a plain space, not the pages' no-break one, so columns align on every terminal. */
const bytes = (b: number | null) => (b === null ? '—' : formatBytes(b, 'en').replace(/\u00a0/g, ' '));

export function formatModelList(discovery: ModelDiscovery): string {
  const { models, budget, searched } = discovery;
  const where = searched.map((s) => `  ${s.label}: ${escapeTerminal(s.directory)}${s.exists ? '' : ' (absent)'}`).join('\n');
  if (models.length === 0) return `No GGUF models found. Looked in:\n${where}`;
  const columns: TableColumn<DiscoveredModel>[] = [
    { header: 'NAME', value: (m) => m.name },
    { header: 'STORE', value: (m) => m.storeLabel },
    { header: 'STATUS', value: (m) => m.status },
    { header: 'ARCH', value: (m) => m.architecture ?? '—' },
    { header: 'PARAMS', value: (m) => formatParameters(m.parameters), align: 'right' },
    { header: 'QUANT', value: (m) => m.quantization ?? '—' },
    { header: 'SIZE', value: (m) => bytes(m.sizeBytes) + (m.parts > 1 ? ` (${m.parts} parts)` : ''), align: 'right' },
    { header: 'CONTEXT (tokens)', value: (m) => (m.contextLength === null ? '—' : formatCount(m.contextLength, 'en')), align: 'right' },
    { header: 'CHAT TEMPLATE', value: (m) => m.chatTemplate ?? (m.status === 'ok' ? 'none' : '—') },
    { header: `NEEDS (file + F16 KV at ${formatCount(MIN_AUTO_CONTEXT, 'en')} tokens + 512 MiB)`, value: (m) => (m.fit ? bytes(m.fit.neededBytes) : '—'), align: 'right' },
    { header: `FITS ${budget.kind} (${bytes(budget.bytes)})`, value: (m) => (m.fit ? (m.fit.fits ? 'yes' : 'no') : '—') },
    { header: 'PATH', value: (m) => m.path },
  ];
  const lines = [formatTable(models, columns)];
  const problems = models.filter((m) => m.problem !== null);
  if (problems.length > 0) {
    lines.push('', 'Not usable:');
    for (const m of problems) lines.push(`  ${escapeTerminal(m.name)} (${m.status}): ${escapeTerminal(m.problem!)}`);
  }
  const twice = models.filter((m) => m.alsoAt.length > 0);
  if (twice.length > 0) lines.push('', 'Listed once, reached again as:');
  for (const m of twice) lines.push(`  ${escapeTerminal(m.name)}: ${m.alsoAt.map((a) => escapeTerminal(a.name === m.name ? a.path : a.name)).join(', ')}`);
  lines.push(
    '',
    `Fits: the model's file, its KV cache (F16) at the run's default context (${formatCount(MIN_AUTO_CONTEXT, 'en')} tokens, or less when the model's own is shorter) and 512 MiB for llama.cpp's buffers, against ${budget.description} (${bytes(budget.bytes)}); an estimate, not a measurement.`,
    `Benchmark one: wattbench run --model PATH${models.some((m) => m.store === 'ollama') ? ', or --model ollama:NAME[:TAG] for an Ollama model' : ''}`,
    `Looked in:\n${where}`,
  );
  return lines.join('\n');
}
