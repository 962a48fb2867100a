// `wattbench list`: the runs in the database, newest first.
import type { Command } from 'commander';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { listRuns, type RunListRow } from '../../lib/records/listRunSummaries';
import { formatTable, type TableColumn } from '../output/formatTable';
import { formatNumber } from '../../lib/format/numbers';
import { dbOption, jsonOption, limitOption } from '../options/commonOptions';
import { describeBasis } from '../../lib/format/energyLabel';
import { formatPercent } from '../../lib/format/units';

const COLUMNS: TableColumn<RunListRow>[] = [
  { header: 'ID', value: (r) => String(r.id), align: 'right' },
  { header: 'STATUS', value: (r) => r.displayStatus },
  { header: 'MODEL', value: (r) => (r.endpoint ? `${r.model} (server ${r.endpoint})` : r.model) },
  { header: 'SUITE', value: (r) => r.suite },
  { header: 'THREADS', value: (r) => (r.kind === 'monitor' ? '—' : r.endpoint ? 'server' : String(r.threads)), align: 'right' },
  { header: 'GEN (tok/s)', value: (r) => (r.genTokensPerSec === null ? '—' : formatNumber(r.genTokensPerSec, 'en')), align: 'right' },
  { header: 'TTFT (ms)', value: (r) => (r.ttftMs === null ? '—' : formatNumber(r.ttftMs, 'en')), align: 'right' },
  { header: 'ENERGY (J/token)', value: energyCell, align: 'right' },
  { header: 'BASIS', value: (r) => describeBasis(r.energyBasis, 'en') },
  { header: 'ACCURACY', value: (r) => (r.quality ? `${formatPercent(r.quality.accuracy.p * 100, 'en')} (${r.quality.correct}/${r.quality.graded})` : '—'), align: 'right' },
  { header: 'STARTED', value: (r) => new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19) },
  { header: 'LABEL', value: (r) => r.label ?? '' },
];

/** J/token with its source; a monitor has no tokens: its whole window's joules, said so. */
function energyCell(r: RunListRow): string {
  if (r.kind === 'monitor') return r.totalJ === null ? 'not measured' : `${formatNumber(r.totalJ, 'en')} J monitored [${r.energySource}]`;
  return r.joulesPerToken === null ? 'not measured' : `${formatNumber(r.joulesPerToken, 'en')} [${r.energySource}]`;
}

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list the runs in the database, newest first')
    .addOption(dbOption())
    .addOption(limitOption())
    .addOption(jsonOption('a JSON array of the runs'))
    .action((opts: { db?: string; limit: number; json?: boolean }) => {
      const db = openDb(resolveDbPath(opts.db), { readonly: true });
      try {
        const rows = listRuns(db, opts.limit);
        if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
        else if (rows.length === 0) process.stdout.write('No runs yet: run `wattbench run --model path/to/model.gguf`.\n');
        else process.stdout.write(`${formatTable(rows, COLUMNS)}\n`);
      } finally {
        db.$client.close();
      }
    });
}
