// A JSON text column read through a zod schema: parsed once where the row leaves SQLite, so every Drizzle select
// returns the schema's type, and a stored value that does not match throws one clear error naming the column.
import { customType } from 'drizzle-orm/sqlite-core';
import type { z } from 'zod';
import { ExitCode, WattbenchError } from '../errors/WattbenchError';

/** A stored JSON value that is not what its column's schema says: the database was written by something else. */
export class StoredJsonError extends WattbenchError {
  constructor(
    readonly column: string,
    detail: string,
  ) {
    super(
      `${column} holds JSON that does not match its schema (${detail}): this database was not written by this version of wattbench; pass --db with one it wrote`,
      ExitCode.badInput,
    );
    this.name = 'StoredJsonError';
  }
}

/** Parses a JSON text from `column` with `schema`; throws StoredJsonError on malformed JSON or a mismatch. */
export function parseStoredJson<S extends z.ZodType>(column: string, schema: S, text: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StoredJsonError(column, `not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StoredJsonError(column, `${issue.path.length ? issue.path.join('.') : 'value'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The text column `name` of `table`, holding JSON of `schema`'s type, validated on every read. */
export function jsonColumn<S extends z.ZodType>(table: string, name: string, schema: S) {
  return customType<{ data: z.output<S>; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (text) => parseStoredJson(`${table}.${name}`, schema, text),
  })(name);
}
