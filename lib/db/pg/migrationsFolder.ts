// Where a dialect's migrations are: beside this module in the repository (the CLI, tests), else under the working
// directory, which is the package root for the dashboard's `next start` (lib/server/startDashboard): Next's server
// bundle moves this module, so its own path no longer leads to drizzle/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `drizzle` (SQLite) or `drizzle/pg` (PostgreSQL), as an absolute folder holding meta/_journal.json. */
export function migrationsFolder(sub: 'drizzle' | 'drizzle/pg', cwd = process.cwd()): string {
  const besideModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', sub);
  const candidates = [besideModule, path.resolve(/*turbopackIgnore: true*/ cwd, sub)];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'meta', '_journal.json')));
  if (!found) throw new Error(`wattbench's ${sub} migrations are missing (looked in ${candidates.join(' and ')}); reinstall wattbench`);
  return found;
}
