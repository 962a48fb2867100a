// `npm run db:generate` (between the SQLite and the PostgreSQL drizzle-kit runs): writes lib/db/pg/schema.ts, the
// PostgreSQL mirror of lib/db/schema.ts. `--check` writes nothing and exits 1 when the committed file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from '../lib/db/schema';
import { renderPgSchema } from '../lib/db/pg/renderPgSchema';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'db', 'pg', 'schema.ts');
const text = renderPgSchema(schema);
const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write('wattbench: lib/db/pg/schema.ts is stale against lib/db/schema.ts; run `npm run db:generate`\n');
    process.exitCode = 1;
  }
} else if (current === text) {
  process.stderr.write('wattbench: lib/db/pg/schema.ts is up to date\n');
} else {
  fs.writeFileSync(target, text);
  process.stderr.write('wattbench: wrote lib/db/pg/schema.ts\n');
}
