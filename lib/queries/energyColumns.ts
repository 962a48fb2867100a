// Whether the energy table has `counts_toward_total` (rows inside another domain, shown but never added).
// Checked once per connection, so the queries read databases written before and after the column existed.
import type { Db } from '../db/openDb';

const known = new WeakMap<object, boolean>();

export function hasCountsTowardTotal(db: Db): boolean {
  let v = known.get(db.$client);
  if (v === undefined) {
    const cols = db.$client.prepare('PRAGMA table_info(energy)').all() as { name: string }[];
    v = cols.some((c) => c.name === 'counts_toward_total');
    known.set(db.$client, v);
  }
  return v;
}

/** SQL to keep only rows that count toward a run's total (empty when the column does not exist). */
export function countedEnergySql(db: Db, alias = ''): string {
  return hasCountsTowardTotal(db) ? ` AND ${alias ? `${alias}.` : ''}counts_toward_total = 1` : '';
}
