// `wattbench show <run-id>`: one run's summary, or its full record with --json.
import type { Command } from 'commander';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { formatRunSummary } from '../output/formatRunSummary';
import { formatEnergyLines } from '../output/formatEnergyLines';
import { formatMonitorSummary } from '../output/formatMonitorSummary';
import { parseRunId } from '../options/parseRunId';
import { dbOption, jsonOption } from '../options/commonOptions';

export function registerShowCommand(program: Command): void {
  program
    .command('show')
    .description("show one run's settings and results")
    .argument('<run-id>', 'the run id (see wattbench list)')
    .addOption(dbOption())
    .addOption(jsonOption('the full run record as JSON'))
    .action((id: string, opts: { db?: string; json?: boolean }) => {
      const runId = parseRunId(id);
      const db = openDb(resolveDbPath(opts.db), { readonly: true });
      try {
        const record = getRunRecord(db, runId);
        const text = record.kind === 'monitor' ? formatMonitorSummary(record) : formatRunSummary(record, formatEnergyLines(record));
        process.stdout.write(opts.json ? `${JSON.stringify(record)}\n` : `${text}\n`);
      } finally {
        db.$client.close();
      }
    });
}
