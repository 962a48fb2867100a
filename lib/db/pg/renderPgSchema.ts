// Renders the PostgreSQL schema (lib/db/pg/schema.ts) from the SQLite schema's table objects, read at run time:
// lib/db/schema.ts stays the one schema source, and `npm run db:generate` writes the PG mirror and both dialects'
// migrations from it. Anything the mapping below does not know stops the generator with the column's name,
// rather than being guessed.
import { getTableColumns, is, SQL } from 'drizzle-orm';
import { getTableConfig, SQLiteColumn, SQLiteTable, type ForeignKey } from 'drizzle-orm/sqlite-core';
import { StoredJsonError } from '../jsonColumn';

/**
 * Integer columns whose values outgrow PostgreSQL's 32-bit `integer`, recognised by name: epoch milliseconds
 * (`*_at`, the samples' `t`), durations in ms, byte counts (`*_bytes`), parameter counts, clock ticks, and ids
 * (`*_id` not declared as a reference, e.g. another database's run id: ids are bigint here). Every other integer
 * column is a count, an index or a setting (threads, reps, seed ≤ 2^31 − 1, pid) and stays `integer`; a value out
 * of range there is refused by PostgreSQL ("integer out of range"), never truncated.
 */
export const BIGINT_COLUMN_NAME = /(^|_)(at|t|ms|bytes|parameters|ticks|id)$/;

/**
 * Integer columns the name rule cannot tell: `table.column` → why they are bigint. A workshop participant's progress
 * counts bytes while it downloads a model (several GB).
 */
export const BIGINT_COLUMNS: ReadonlyMap<string, string> = new Map([
  ['workshop_participants.done', 'bytes downloaded'],
  ['workshop_participants.total', 'bytes to download'],
]);

/** Where the generated file imports the SQLite schema from (relative to lib/db/pg/schema.ts). */
const SOURCE_IMPORT = '../schema';

interface Rendered {
  /** pg-core builders used, for the import line. */
  imports: Set<string>;
  /** Whether the SQLite schema module is referenced (JSON columns, text types, default functions). */
  usesSource: boolean;
  /** Helpers from ./columns used. */
  localImports: Set<string>;
}

function fail(table: string, column: string, what: string): never {
  throw new Error(`${table}.${column}: ${what} has no PostgreSQL mapping in lib/db/pg/renderPgSchema.ts; add one there or change lib/db/schema.ts`);
}

/** True for a `jsonColumn` (lib/db/jsonColumn.ts): its reader refuses a non-JSON text with StoredJsonError. */
function isJsonColumn(column: SQLiteColumn): boolean {
  try {
    column.mapFromDriverValue('\u0000 not JSON');
  } catch (err) {
    return err instanceof StoredJsonError;
  }
  return false;
}

/** A TypeScript literal in the project's style (single-quoted strings). */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return JSON.stringify(value);
}

/** `pgType(...)` for one column, and its modifiers. */
function renderColumn(
  exportName: string,
  key: string,
  column: SQLiteColumn,
  singleFk: ForeignKey | undefined,
  tableExport: (table: SQLiteTable) => string,
  out: Rendered,
  pkColumns: Set<string>,
  table: string,
): string {
  const name = literal(column.name);
  const sourceType = `Sel<typeof source.${exportName}, ${literal(key)}>`;
  let builder: string;
  let identity = false;
  switch (column.columnType) {
    case 'SQLiteInteger': {
      if (singleFk) {
        // A reference takes the referenced column's type.
        const target = singleFk.reference().foreignColumns[0];
        builder = isBigintId(target) || BIGINT_COLUMN_NAME.test(target.name) ? `bigint(${name}, { mode: 'number' })` : `integer(${name})`;
      } else if (column.primary) {
        // SQLite rowids are 64-bit (an INTEGER PRIMARY KEY numbers rows itself, AUTOINCREMENT or not), and the
        // samples table (10 Hz) is the one that could pass 2^31 rows in a lab's shared database.
        builder = `bigint(${name}, { mode: 'number' })`;
        identity = true;
      } else {
        const big = BIGINT_COLUMN_NAME.test(column.name) || BIGINT_COLUMNS.has(`${table}.${column.name}`);
        builder = big ? `bigint(${name}, { mode: 'number' })` : `integer(${name})`;
      }
      out.imports.add(builder.startsWith('bigint') ? 'bigint' : 'integer');
      break;
    }
    case 'SQLiteBoolean':
      builder = `boolean(${name})`;
      out.imports.add('boolean');
      break;
    case 'SQLiteTimestamp': {
      builder = `timestamp(${name}, { mode: 'date', withTimezone: true, precision: 3 })`;
      out.imports.add('timestamp');
      break;
    }
    case 'SQLiteReal':
      builder = `doublePrecision(${name})`;
      out.imports.add('doublePrecision');
      break;
    case 'SQLiteNumeric':
      builder = `numeric(${name})`;
      out.imports.add('numeric');
      break;
    case 'SQLiteBigInt':
      // A blob holding a JS bigint in SQLite; PostgreSQL has the real thing.
      builder = `bigint(${name}, { mode: 'bigint' })`;
      out.imports.add('bigint');
      break;
    case 'SQLiteText': {
      const enumValues = column.enumValues;
      builder = enumValues && enumValues.length > 0 ? `text(${name}, { enum: ${literal(enumValues)} })` : `text(${name})`;
      // Narrowed types (`$type<RunStatus>()`) exist only at compile time: taken from the source column's row type.
      builder += `.$type<${sourceType}>()`;
      out.imports.add('text');
      out.usesSource = true;
      break;
    }
    case 'SQLiteTextJson':
    case 'SQLiteBlobJson':
      builder = `jsonbFrom(source.${exportName}.${key}, ${name})`;
      out.localImports.add('jsonbFrom');
      out.usesSource = true;
      break;
    case 'SQLiteBlobBuffer':
      builder = `bytea(${name})`;
      out.localImports.add('bytea');
      break;
    case 'SQLiteCustomColumn':
      if (column.getSQLType() === 'text' && isJsonColumn(column)) {
        builder = `jsonbFrom(source.${exportName}.${key}, ${name})`;
        out.localImports.add('jsonbFrom');
        out.usesSource = true;
        break;
      }
      return fail(table, column.name, `custom type ${column.getSQLType()}`);
    default:
      return fail(table, column.name, `column type ${column.columnType}`);
  }
  if (column.generated) fail(table, column.name, 'a generated column');
  if (column.primary && pkColumns.size === 0) builder += '.primaryKey()';
  if (identity) builder += '.generatedByDefaultAsIdentity()';
  if (column.notNull && !column.primary) builder += '.notNull()';
  if (column.isUnique) builder += column.uniqueName ? `.unique(${literal(column.uniqueName)})` : '.unique()';
  if (column.default !== undefined) {
    if (is(column.default, SQL)) fail(table, column.name, 'an SQL default');
    builder += `.default(${literal(column.default)})`;
  }
  if (column.defaultFn) {
    builder += `.$defaultFn(() => source.${exportName}.${key}.defaultFn!() as ${column.columnType === 'SQLiteText' ? sourceType : `typeof source.${exportName}.$inferInsert[${literal(key)}] & {}`})`;
    out.usesSource = true;
  }
  if (column.onUpdateFn) fail(table, column.name, 'an $onUpdate function');
  if (singleFk) {
    const target = singleFk.reference().foreignColumns[0];
    const targetTable = tableExport(target.table as SQLiteTable);
    const targetKey = columnKey(target);
    const actions: string[] = [];
    if (singleFk.onDelete && singleFk.onDelete !== 'no action') actions.push(`onDelete: ${literal(singleFk.onDelete)}`);
    if (singleFk.onUpdate && singleFk.onUpdate !== 'no action') actions.push(`onUpdate: ${literal(singleFk.onUpdate)}`);
    builder += `.references(() => ${targetTable}.${targetKey}${actions.length ? `, { ${actions.join(', ')} }` : ''})`;
  }
  return `    ${key}: ${builder},`;
}

/** Whether `column` becomes a bigint identity (an integer primary key). */
function isBigintId(column: SQLiteColumn): boolean {
  return column.columnType === 'SQLiteInteger' && column.primary;
}

function columnKey(column: SQLiteColumn): string {
  const columns = getTableColumns(column.table as SQLiteTable);
  const entry = Object.entries(columns).find(([, c]) => c === column);
  if (!entry) throw new Error(`column ${column.name} not found in its table`);
  return entry[0];
}

/** The generated file's text for the tables among `schemaModule`'s exports (a module namespace of lib/db/schema.ts). */
export function renderPgSchema(schemaModule: Record<string, unknown>): string {
  const tables = Object.entries(schemaModule)
    .filter((entry): entry is [string, SQLiteTable] => is(entry[1], SQLiteTable))
    .sort(([a], [b]) => a.localeCompare(b));
  const exportOf = new Map(tables.map(([exportName, table]) => [table, exportName]));
  const tableExport = (table: SQLiteTable): string => {
    const name = exportOf.get(table);
    if (!name) throw new Error(`a foreign key references table ${getTableConfig(table).name}, which lib/db/schema.ts does not export`);
    return name;
  };
  const out: Rendered = { imports: new Set(['pgTable']), usesSource: false, localImports: new Set() };
  const blocks: string[] = [];
  for (const [exportName, table] of tables) {
    const config = getTableConfig(table);
    if (config.checks.length > 0) fail(config.name, config.checks[0].name, 'a check constraint');
    const singleFks = new Map<SQLiteColumn, ForeignKey>();
    const tableFks: ForeignKey[] = [];
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      if (ref.columns.length === 1) singleFks.set(ref.columns[0], fk);
      else tableFks.push(fk);
    }
    const pkColumns = new Set<string>();
    for (const pk of config.primaryKeys) for (const c of pk.columns) pkColumns.add(c.name);
    const columnLines = Object.entries(getTableColumns(table)).map(([key, column]) =>
      renderColumn(exportName, key, column, singleFks.get(column), tableExport, out, pkColumns, config.name),
    );
    const extras: string[] = [];
    const keyOf = (column: SQLiteColumn | SQL): string => {
      if (is(column, SQL)) fail(config.name, '(index)', 'an index on an expression');
      return `t.${columnKey(column as SQLiteColumn)}`;
    };
    for (const pk of config.primaryKeys) {
      out.imports.add('primaryKey');
      extras.push(`primaryKey({ name: ${literal(pk.getName())}, columns: [${pk.columns.map(keyOf).join(', ')}] })`);
    }
    for (const idx of config.indexes) {
      const { name, columns, unique, where } = idx.config;
      if (where) fail(config.name, name, 'a partial index');
      const fn = unique ? 'uniqueIndex' : 'index';
      out.imports.add(fn);
      extras.push(`${fn}(${literal(name)}).on(${columns.map((c) => keyOf(c as SQLiteColumn | SQL)).join(', ')})`);
    }
    for (const uc of config.uniqueConstraints) {
      out.imports.add('unique');
      extras.push(`unique(${literal(uc.getName())}).on(${uc.columns.map(keyOf).join(', ')})`);
    }
    for (const fk of tableFks) {
      out.imports.add('foreignKey');
      const ref = fk.reference();
      const target = tableExport(ref.foreignTable as SQLiteTable);
      let line = `foreignKey({ name: ${literal(fk.getName())}, columns: [${ref.columns.map(keyOf).join(', ')}], foreignColumns: [${ref.foreignColumns.map((c) => `${target}.${columnKey(c)}`).join(', ')}] })`;
      if (fk.onDelete && fk.onDelete !== 'no action') line += `.onDelete(${literal(fk.onDelete)})`;
      if (fk.onUpdate && fk.onUpdate !== 'no action') line += `.onUpdate(${literal(fk.onUpdate)})`;
      extras.push(line);
    }
    const extraBlock = extras.length > 0 ? `,\n  (t) => [\n${extras.map((e) => `    ${e},`).join('\n')}\n  ]` : '';
    blocks.push(`export const ${exportName} = pgTable(\n  ${literal(config.name)},\n  {\n${columnLines.join('\n')}\n  }${extraBlock},\n);`);
  }
  const header = [
    '// GENERATED by `npm run db:generate` (bench/generatePgSchema.ts, mapping in lib/db/pg/renderPgSchema.ts) from',
    '// lib/db/schema.ts, the one schema source. Do not edit: change lib/db/schema.ts and run `npm run db:generate`.',
    '// PostgreSQL mirror of the SQLite tables: integer → integer, or bigint for epoch ms, byte and parameter counts and',
    '// ids; real → double precision; boolean mode → boolean; JSON columns → jsonb read through their SQLite column.',
  ];
  const imports = [`import { ${[...out.imports].sort().join(', ')} } from 'drizzle-orm/pg-core';`];
  if (out.usesSource) imports.push(`import * as source from '${SOURCE_IMPORT}';`);
  if (out.localImports.size > 0) imports.push(`import { ${[...out.localImports].sort().join(', ')} } from './columns';`);
  const helper = out.usesSource
    ? [
        '',
        '/** A source column\'s TypeScript type (without null), so a row typed on SQLite types the same here. */',
        "type Sel<T extends { $inferSelect: object }, K extends keyof T['$inferSelect']> = NonNullable<T['$inferSelect'][K]>;",
      ]
    : [];
  return `${[...header, ...imports, ...helper].join('\n')}\n\n${blocks.join('\n\n')}\n`;
}
