// `wattbench export <run-id> --format json|csv`: the run record, to stdout or a file.
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { exportRunCsv } from '../../lib/records/exportRunCsv';
import { parseRunId } from '../options/parseRunId';
import { dbOption } from '../options/commonOptions';
import { InputError } from '../../lib/errors/WattbenchError';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('export one run as JSON (the full record) or CSV (one row per repetition)')
    .argument('<run-id>', 'the run id (see wattbench list)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addOption(dbOption())
    .action((id: string, opts: { format: 'json' | 'csv'; output?: string; db?: string }) => {
      const runId = parseRunId(id);
      const db = openDb(resolveDbPath(opts.db), { readonly: true });
      try {
        const record = getRunRecord(db, runId);
        const text = opts.format === 'csv' ? exportRunCsv(record) : `${JSON.stringify(record, null, 2)}\n`;
        if (!opts.output) {
          process.stdout.write(text);
          return;
        }
        try {
          fs.writeFileSync(opts.output, text);
        } catch (err) {
          throw new InputError(`cannot write ${opts.output} (${(err as NodeJS.ErrnoException).code}); pass --output with a path in a writable folder`);
        }
      } finally {
        db.$client.close();
      }
    });
}
