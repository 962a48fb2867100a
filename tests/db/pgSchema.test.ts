// One schema source: the PostgreSQL schema is generated from lib/db/schema.ts, and its migrations from that. A schema
// change without `npm run db:generate` fails here (the committed PG schema or its migrations are stale), and the
// generator's type mapping is checked on tables built for it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { is } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import {
  blob,
  customType,
  foreignKey,
  getTableConfig as getSqliteTableConfig,
  integer,
  primaryKey,
  real,
  SQLiteTable,
  sqliteTable,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import * as schema from '../../lib/db/schema';
import { jsonColumn } from '../../lib/db/jsonColumn';
import { renderPgSchema } from '../../lib/db/pg/renderPgSchema';
import { REPO_ROOT, makeTempDir } from '../helpers/paths';

describe('the generated PostgreSQL schema', () => {
  it('is what the generator writes from lib/db/schema.ts now (else: npm run db:generate)', () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, 'lib', 'db', 'pg', 'schema.ts'), 'utf8');
    expect(committed, 'lib/db/pg/schema.ts is stale: run `npm run db:generate`').toBe(renderPgSchema(schema));
  });

  it('has every SQLite table, and drizzle/pg migrations that already contain it (drizzle-kit finds nothing to generate)', async () => {
    const pgSchema = await import('../../lib/db/pg/schema');
    const names = (m: Record<string, unknown>) => Object.keys(m).filter((k) => typeof m[k] === 'object' && m[k] !== null && 'getSQL' in (m[k] as object)).sort();
    expect(names(pgSchema)).toEqual(names(schema));

    // drizzle-kit against a copy of drizzle/pg: a schema change without its migration would write a new file there.
    const dir = makeTempDir('pg-kit');
    const out = path.join(dir, 'pg');
    fs.cpSync(path.join(REPO_ROOT, 'drizzle', 'pg'), out, { recursive: true });
    const config = path.join(dir, 'drizzle.config.js');
    // drizzle-kit reads both paths relative to its working directory.
    const settings = { dialect: 'postgresql', schema: './lib/db/pg/schema.ts', out: path.relative(REPO_ROOT, out) };
    fs.writeFileSync(config, `export default ${JSON.stringify(settings)};\n`);
    try {
      const kit = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs'), 'generate', '--config', config], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(kit.status, kit.stderr).toBe(0);
      expect(`${kit.stdout}${kit.stderr}`).toMatch(/No schema changes/);
      expect(fs.readdirSync(out).filter((f) => f.endsWith('.sql')).sort()).toEqual(
        fs.readdirSync(path.join(REPO_ROOT, 'drizzle', 'pg')).filter((f) => f.endsWith('.sql')).sort(),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the PostgreSQL tables against the SQLite ones', () => {
  it('have the same columns (name, NOT NULL, primary key, default), indexes and foreign keys', async () => {
    const pgSchema = (await import('../../lib/db/pg/schema')) as Record<string, unknown>;
    const shape = (config: { columns: { name: string; notNull: boolean; primary: boolean; default: unknown }[]; indexes: { config: { name?: string; unique: boolean } }[]; foreignKeys: { reference(): { columns: { name: string }[]; foreignColumns: { name: string }[] }; onDelete?: string }[] }) => ({
      columns: config.columns.map((c) => ({ name: c.name, notNull: c.notNull, primary: c.primary, default: c.default })),
      indexes: config.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique })),
      foreignKeys: config.foreignKeys
        .map((f) => ({ columns: f.reference().columns.map((c) => c.name), to: f.reference().foreignColumns.map((c) => c.name), onDelete: f.onDelete ?? 'no action' }))
        .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    });
    const tables = Object.entries(schema).filter(([, t]) => is(t, SQLiteTable));
    expect(tables.length).toBeGreaterThan(5);
    for (const [name, table] of tables) {
      const pgTable = pgSchema[name];
      expect(is(pgTable, PgTable), name).toBe(true);
      const liteConfig = getSqliteTableConfig(table as SQLiteTable);
      const pgConfig = getPgTableConfig(pgTable as PgTable);
      expect(pgConfig.name).toBe(liteConfig.name);
      expect(shape(pgConfig), name).toEqual(shape(liteConfig));
    }
  });
});

describe('renderPgSchema: the type mapping', () => {
  const parent = sqliteTable('parent', { id: integer('id').primaryKey({ autoIncrement: true }), name: text('name').notNull() });
  const child = sqliteTable(
    'child',
    {
      id: integer('id').primaryKey({ autoIncrement: true }),
      parentId: integer('parent_id')
        .notNull()
        .references(() => parent.id, { onDelete: 'cascade' }),
      count: integer('count').notNull(),
      createdAt: integer('created_at').notNull(),
      t: integer('t'),
      sizeBytes: integer('size_bytes'),
      remoteRunId: integer('remote_run_id'),
      share: real('share'),
      flag: integer('flag', { mode: 'boolean' }).notNull().default(false),
      when: integer('when_ts', { mode: 'timestamp_ms' }),
      status: text('status', { enum: ['a', 'b'] }),
      doc: text('doc', { mode: 'json' }).$type<{ x: number }>(),
      checked: jsonColumn('child', 'checked', z.object({ y: z.string() })),
      raw: blob('raw', { mode: 'buffer' }),
      key: text('key').notNull(),
    },
    (t) => [uniqueIndex('child_key_idx').on(t.key), unique('child_pair').on(t.parentId, t.count)],
  );
  const pair = sqliteTable(
    'pair',
    { a: integer('a').notNull(), b: integer('b').notNull(), parentA: integer('parent_a'), parentB: integer('parent_b') },
    (t) => [
      primaryKey({ columns: [t.a, t.b] }),
      foreignKey({ columns: [t.parentA, t.parentB], foreignColumns: [t.a, t.b] }).onDelete('set null'),
    ],
  );
  const text_ = renderPgSchema({ parent, child, pair, notATable: 42 });
  const line = (key: string) => text_.split('\n').find((l) => l.trimStart().startsWith(`${key}:`)) ?? '';

  it('says it is generated, and maps each SQLite type', () => {
    expect(text_.split('\n')[0]).toMatch(/^\/\/ GENERATED by `npm run db:generate`/);
    expect(line('id')).toBe("    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),");
    expect(line('parentId')).toBe("    parentId: bigint('parent_id', { mode: 'number' }).notNull().references(() => parent.id, { onDelete: 'cascade' }),");
    expect(line('count')).toBe("    count: integer('count').notNull(),");
    expect(line('createdAt')).toBe("    createdAt: bigint('created_at', { mode: 'number' }).notNull(),");
    expect(line('t')).toBe("    t: bigint('t', { mode: 'number' }),");
    expect(line('sizeBytes')).toBe("    sizeBytes: bigint('size_bytes', { mode: 'number' }),");
    expect(line('remoteRunId')).toBe("    remoteRunId: bigint('remote_run_id', { mode: 'number' }),");
    expect(line('share')).toBe("    share: doublePrecision('share'),");
    expect(line('flag')).toBe("    flag: boolean('flag').notNull().default(false),");
    expect(line('when')).toBe("    when: timestamp('when_ts', { mode: 'date', withTimezone: true, precision: 3 }),");
    expect(line('status')).toBe("    status: text('status', { enum: ['a', 'b'] }).$type<Sel<typeof source.child, 'status'>>(),");
    expect(line('doc')).toBe("    doc: jsonbFrom(source.child.doc, 'doc'),");
    expect(line('checked')).toBe("    checked: jsonbFrom(source.child.checked, 'checked'),");
    expect(line('raw')).toBe("    raw: bytea('raw'),");
    expect(text_).toContain("uniqueIndex('child_key_idx').on(t.key)");
    expect(text_).toContain("unique('child_pair').on(t.parentId, t.count)");
    expect(text_).toContain("primaryKey({ name: 'pair_a_b_pk', columns: [t.a, t.b] })");
    expect(text_).toMatch(/foreignKey\(\{ name: '[^']+', columns: \[t\.parentA, t\.parentB\], foreignColumns: \[pair\.a, pair\.b\] \}\)\.onDelete\('set null'\)/);
    expect(text_).not.toContain('notATable');
  });

  it('stops, naming the column, on a type it has no mapping for', () => {
    const odd = sqliteTable('odd', { point: customType<{ data: string }>({ dataType: () => 'point' })('where') });
    expect(() => renderPgSchema({ odd })).toThrow(/^odd\.where: custom type point has no PostgreSQL mapping in lib\/db\/pg\/renderPgSchema\.ts/);
  });
});
