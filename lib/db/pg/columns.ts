// The PostgreSQL column types the generated schema (lib/db/pg/schema.ts) needs beyond pg-core's own: a jsonb column
// that reads and writes through its SQLite source column (one JSON rule, one zod validation for both dialects),
// and bytea (absent from pg-core 0.45).
import { customType } from 'drizzle-orm/pg-core';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * A jsonb column holding what the SQLite column `source` holds (a `jsonColumn` or a `text({ mode: 'json' })`).
 * Written as the source writes it (JSON text, which PostgreSQL stores as jsonb); read back through the source's
 * own mapping, so a value that does not match the column's zod schema throws the same StoredJsonError as on SQLite.
 * node-postgres parses jsonb before Drizzle sees it, hence the JSON text handed back to the source's reader.
 */
export function jsonbFrom<C extends SQLiteColumn>(source: C, name: string) {
  return customType<{ data: C['_']['data']; driverData: unknown }>({
    dataType: () => 'jsonb',
    toDriver: (value) => source.mapToDriverValue(value) as unknown,
    fromDriver: (value) => source.mapFromDriverValue(JSON.stringify(value)) as C['_']['data'],
  })(name);
}

/** Binary data (a SQLite blob in buffer mode). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});
