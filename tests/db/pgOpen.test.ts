// PostgreSQL on a real, throwaway cluster (tests/helpers/postgres.ts): migrations on a fresh database, again (a
// no-op) and from two processes' worth of opens at once; the one-line refusals (refused connection, wrong password,
// missing database, a newer database, a bad URL) with the password never shown; and a run record written through
// the PG schema read back equal to what went in, and equal to the same rows through SQLite.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { asc, eq, is, sql } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../lib/db/openDb';
import * as sqliteSchema from '../../lib/db/schema';
import * as pgSchema from '../../lib/db/pg/schema';
import { closePgDb, openPgDb, type PgDb } from '../../lib/db/pg/openPgDb';
import { resolveDatabaseTarget } from '../../lib/db/pg/resolveDatabaseTarget';
import { getServerPgDb } from '../../lib/db/pg/serverPgDb';
import { DatabaseError, InputError } from '../../lib/errors/WattbenchError';
import { StoredJsonError } from '../../lib/db/jsonColumn';
import { describePostgres, postgresTestsRun, startPostgres, type PostgresCluster } from '../helpers/postgres';
import { REPO_ROOT, makeTempDir } from '../helpers/paths';

let cluster: PostgresCluster;

beforeAll(async () => {
  if (postgresTestsRun) cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

async function refusal(url: string): Promise<DatabaseError | InputError> {
  try {
    const db = await openPgDb(url);
    await closePgDb(db);
  } catch (err) {
    if (err instanceof DatabaseError || err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`openPgDb(${url}) did not refuse`);
}

describePostgres('openPgDb on a real PostgreSQL', () => {
  it('creates every table on a fresh database, in one history row per migration', async () => {
    const url = await cluster.createDatabase('fresh');
    const db = await openPgDb(url);
    try {
      const tables = await db.$client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      const sqliteTables = Object.values(sqliteSchema)
        .filter((t) => is(t, SQLiteTable))
        .map((t) => getTableConfig(t as SQLiteTable).name)
        .sort();
      expect(sqliteTables).toContain('runs');
      expect(tables.rows.map((r) => r.table_name)).toEqual(sqliteTables);
      const types = await db.$client.query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'runs' AND column_name IN ('id', 'started_at', 'threads', 'ttft_ms', 'settings', 'status') ORDER BY column_name",
      );
      expect(Object.fromEntries(types.rows.map((r) => [r.column_name, r.data_type]))).toEqual({
        id: 'bigint',
        settings: 'jsonb',
        started_at: 'bigint',
        status: 'text',
        threads: 'integer',
        ttft_ms: 'double precision',
      });
      const history = await db.$client.query('SELECT hash FROM drizzle.__drizzle_migrations');
      expect(history.rowCount).toBeGreaterThan(0);
    } finally {
      await closePgDb(db);
    }
  });

  it('opens an up-to-date database again without applying anything, and concurrent first opens migrate once', async () => {
    const url = await cluster.createDatabase('twice');
    const opened = await Promise.all([openPgDb(url), openPgDb(url), openPgDb(url)]);
    const count = async (db: PgDb) => Number((await db.$client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0].n);
    const first = await count(opened[0]);
    await Promise.all(opened.map(closePgDb));
    const again = await openPgDb(url);
    try {
      expect(await count(again)).toBe(first);
      const ids = await again.$client.query<{ id: number }>('SELECT id FROM drizzle.__drizzle_migrations ORDER BY id');
      expect(ids.rows.map((r) => r.id)).toEqual(Array.from({ length: first }, (_, i) => i + 1));
    } finally {
      await closePgDb(again);
    }
  });

  it('refuses a database written by a newer wattbench, in one line, and writes nothing', async () => {
    const url = await cluster.createDatabase('newer');
    const db = await openPgDb(url);
    await db.$client.query("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('from-the-future', 99999999999999)");
    await closePgDb(db);
    const err = await refusal(url);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toBe(`postgres://wattbench@127.0.0.1:${cluster.port}/newer was written by a newer wattbench; upgrade wattbench or use another database`);
    expect(err.exitCode).toBe(2);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const history = await client.query<{ hash: string }>('SELECT hash FROM drizzle.__drizzle_migrations ORDER BY id');
      expect(history.rows.at(-1)?.hash).toBe('from-the-future');
      expect(history.rowCount).toBe(readMigrationFiles({ migrationsFolder: path.join(REPO_ROOT, 'drizzle', 'pg') }).length + 1);
    } finally {
      await client.end();
    }
  });

  it('says what to fix for a wrong password, a missing database and a refused connection, never showing the password', async () => {
    const wrong = await refusal(`postgres://wattbench:not-the-password@127.0.0.1:${cluster.port}/wattbench_test`);
    expect(wrong.message).toBe(`PostgreSQL refused the password of user wattbench for postgres://wattbench@127.0.0.1:${cluster.port}/wattbench_test: fix the password in the URL`);

    const missing = await refusal(cluster.url.replace(/\/wattbench_test$/, '/nosuchdb'));
    expect(missing.message).toBe(`database nosuchdb does not exist on 127.0.0.1:${cluster.port}: create it (\`createdb nosuchdb\`) or fix the URL`);
    expect(missing.message).not.toContain(cluster.password);

    // Port 1 on loopback: nothing listens there.
    const closed = await refusal(`postgres://wattbench:${cluster.password}@127.0.0.1:1/wattbench_test`);
    expect(closed.message).toBe('cannot connect to PostgreSQL at 127.0.0.1:1 (connection refused): start the server, or fix the host and port in postgres://wattbench@127.0.0.1:1/wattbench_test');
    expect(closed.message).not.toContain(cluster.password);

    const noPassword = await refusal(`postgres://wattbench@127.0.0.1:${cluster.port}/wattbench_test`);
    expect(noPassword.message).toMatch(/password/);
    for (const err of [wrong, missing, closed, noPassword]) expect(err.message).not.toContain('\n');
  });

  it('gives the dashboard server one pool per URL, none without a URL, and does not keep a refused open', async () => {
    expect(getServerPgDb('')).toBeNull();
    const url = await cluster.createDatabase('server');
    const first = getServerPgDb(url);
    expect(getServerPgDb(url)).toBe(first);
    const db = await first!;
    expect((await db.$client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await closePgDb(db);
    const closedUrl = `postgres://wattbench:${cluster.password}@127.0.0.1:1/server`;
    const refused = getServerPgDb(closedUrl)!;
    await expect(refused).rejects.toThrow(/connection refused/);
    expect(getServerPgDb(closedUrl)).not.toBe(refused);
    await expect(getServerPgDb(closedUrl)).rejects.toThrow(/connection refused/);
  });

  it('refuses a URL that is not PostgreSQL before connecting', async () => {
    const err = await refusal('mysql://root:hunter2@localhost/db');
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe('--database-url must be a PostgreSQL URL (postgres://…), not mysql://…: give postgres://USER:PASSWORD@HOST:PORT/DATABASE, or --db FILE for SQLite');
    expect((await refusal('not a url hunter2')).message).toBe('--database-url is not a URL: give postgres://USER:PASSWORD@HOST:PORT/DATABASE');
  });
});

describe('resolveDatabaseTarget', () => {
  const url = 'postgres://u:secret@db.example:5433/bench';
  it('chooses SQLite by default, PostgreSQL from --database-url or WATTBENCH_DATABASE_URL; a flag beats the environment', () => {
    expect(resolveDatabaseTarget({}, {})).toEqual({ dialect: 'sqlite', path: path.resolve('data', 'wattbench.db') });
    expect(resolveDatabaseTarget({}, { WATTBENCH_DB: '/x/y.db' })).toEqual({ dialect: 'sqlite', path: '/x/y.db' });
    expect(resolveDatabaseTarget({ databaseUrl: url }, {})).toMatchObject({ dialect: 'postgres', url, display: 'postgres://u@db.example:5433/bench', host: 'db.example', port: 5433, database: 'bench' });
    expect(resolveDatabaseTarget({}, { WATTBENCH_DATABASE_URL: url })).toMatchObject({ dialect: 'postgres', display: 'postgres://u@db.example:5433/bench' });
    expect(resolveDatabaseTarget({ db: '/a.db' }, { WATTBENCH_DATABASE_URL: url })).toEqual({ dialect: 'sqlite', path: '/a.db' });
    expect(resolveDatabaseTarget({ databaseUrl: url }, { WATTBENCH_DB: '/a.db' })).toMatchObject({ dialect: 'postgres' });
  });

  it('refuses two choices at the same level in one line (exit 2)', () => {
    expect(() => resolveDatabaseTarget({ db: 'a.db', databaseUrl: url }, {})).toThrow(
      new InputError('--db and --database-url both given: pass one (--db FILE for SQLite, --database-url postgres://… for PostgreSQL)'),
    );
    expect(() => resolveDatabaseTarget({}, { WATTBENCH_DB: 'a.db', WATTBENCH_DATABASE_URL: url })).toThrow(/^WATTBENCH_DB and WATTBENCH_DATABASE_URL are both set/);
    expect(() => resolveDatabaseTarget({}, { WATTBENCH_DATABASE_URL: 'sqlite:///x' })).toThrow(/^WATTBENCH_DATABASE_URL must be a PostgreSQL URL/);
  });
});

describePostgres('a run record through the PostgreSQL schema', () => {
  const now = 1_764_500_000_123; // epoch ms: past 2^31, a bigint column
  const hardwareRow = {
    fingerprint: 'fp-lab-1',
    hostname: 'lab-1',
    cpuModel: 'AMD Ryzen 7 7840U',
    cpuCores: 8,
    cpuThreads: 16,
    memoryBytes: 32 * 1024 ** 3,
    gpus: [{ name: 'Radeon 780M', vendor: 'amd', memoryBytes: 512 * 1024 ** 2 }],
    os: 'Linux 6.8',
    arch: 'x64',
    createdAt: now,
  };
  const modelRow = {
    sha256: 'a'.repeat(64),
    fileName: 'llama-3.1-8b-q4_k_m.gguf',
    name: 'Llama 3.1 8B',
    sizeBytes: 4_920_000_000,
    architecture: 'llama',
    parameters: 8_030_000_000,
    type: 'Q4_K_M',
    contextLength: 131072,
    hasChatTemplate: true,
    createdAt: now,
  };
  const runRow = (modelId: number, hardwareId: number) => ({
    status: 'completed' as const,
    modelId,
    hardwareId,
    suite: 'smoke',
    label: 'rooms « B » — é',
    threads: 8,
    reps: 2,
    warmup: 1,
    contextSize: 4096,
    maxTokens: null,
    seed: 2 ** 31 - 1,
    promptFormat: 'chat' as const,
    settings: { threads: 8, promptThreads: 16, reps: 2, label: 'rooms', flashAttention: 'auto' as const },
    runtime: { nodeLlamaCppVersion: '3.21.1', llamaCppRelease: 'b6123', backend: 'cpu', powerSources: [{ id: 'rapl', label: 'RAPL' }] },
    pid: 4_194_303,
    pidStartTicks: '123456789012',
    startedAt: now,
    endedAt: now + 65_432,
    loadMs: 812.25,
    peakRssBytes: 5_368_709_120,
    error: null,
    genTokensPerSec: 23.456789012345,
    ttftMs: 0.1 + 0.2,
    joulesPerToken: 1.5e-3,
    totalJ: 1234.5678,
    energySource: 'rapl',
    outputTokens: 128,
    energyBasis: 'measured' as const,
    engine: 'prebuilt',
    summary: null,
    sweepId: null,
    sweepIndex: null,
    endpoint: null,
    kind: null,
  });
  const resultRow = (runId: number, rep: number) => ({
    runId,
    promptId: 'story-opening',
    promptIndex: 0,
    rep,
    promptTokens: 13,
    outputTokens: 32,
    ttftMs: 41.5,
    promptTokensPerSec: 313.25,
    genTokensPerSec: rep === 0 ? 24.5 : null,
    interTokenP50Ms: 40.1,
    interTokenP95Ms: 44.9,
    e2eMs: 1_350.75,
    stopReason: 'maxTokens',
    startedAt: now + 1000 * rep,
    endedAt: now + 1000 * rep + 1350,
    output: 'Once upon a time — "quotes", \\ backslash, emoji 🦙',
    energyJ: 12.5,
    firstTokenAt: now + 1000 * rep + 41,
    prefillJ: 0.4,
    decodeJ: 12.1,
    correct: rep === 0 ? true : false,
    serverTimings:
      rep === 0
        ? { source: 'llama-server' as const, promptTokens: 13, promptMs: 40.5, genTokens: 32, genMs: 1300.25, loadMs: null, cachedTokens: 0, raw: { n: [1, 2, { deep: null }] } }
        : null,
  });
  const energyRow = (runId: number, resultId: number | null) => ({
    runId,
    resultId,
    source: 'rapl',
    domain: 'package-0',
    boundary: 'cpu-package',
    method: 'counter',
    joules: 25.0000001,
    netJoules: null,
    meanW: 18.5,
    peakW: 31.25,
    idleW: 4.5,
    countsTowardTotal: resultId === null,
    partial: false,
    note: null,
    estimateModel: null,
    prefillJoules: 0.8,
    decodeJoules: 24.2,
    windowing: 'edges' as const,
  });
  const sampleRows = (runId: number) =>
    Array.from({ length: 50 }, (_, i) => ({
      runId,
      t: now + i * 100,
      phase: i < 10 ? 'idle' : 'measure',
      promptIndex: i < 10 ? null : 0,
      cpuPercent: i % 7 === 0 ? null : 12.5 + i,
      processCpuPercent: 6.25,
      rssBytes: 3_000_000_000 + i,
      memUsedBytes: 9_000_000_000,
      tokensGenerated: i,
      powerW: 15 + i / 4,
      power: [{ source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', watts: 15 + i / 4, joules: 1.5, intervalMs: 100, countsTowardTotal: true }],
    }));

  it('reads back equal to what was written, and equal to the same rows through SQLite', async () => {
    const db = await openPgDb(await cluster.createDatabase('record'));
    const sqliteDir = makeTempDir('pg-record');
    const lite = openDb(path.join(sqliteDir, 'same.db'), { recoverOrphans: false });
    try {
      const pgRead = await db.transaction(async (tx) => {
        const [hw] = await tx.insert(pgSchema.hardware).values(hardwareRow).returning();
        const [model] = await tx.insert(pgSchema.models).values(modelRow).returning();
        const [run] = await tx.insert(pgSchema.runs).values(runRow(model.id, hw.id)).returning();
        const resultIds = [];
        for (const rep of [0, 1]) resultIds.push((await tx.insert(pgSchema.results).values(resultRow(run.id, rep)).returning())[0].id);
        await tx.insert(pgSchema.energy).values([energyRow(run.id, null), energyRow(run.id, resultIds[0]), energyRow(run.id, resultIds[1])]);
        await tx.insert(pgSchema.samples).values(sampleRows(run.id));
        return { hw, model, run, resultIds };
      });
      const liteIds = lite.transaction((tx) => {
        const hw = tx.insert(sqliteSchema.hardware).values(hardwareRow).returning().get();
        const model = tx.insert(sqliteSchema.models).values(modelRow).returning().get();
        const run = tx.insert(sqliteSchema.runs).values(runRow(model.id, hw.id)).returning().get();
        const resultIds = [0, 1].map((rep) => tx.insert(sqliteSchema.results).values(resultRow(run.id, rep)).returning().get().id);
        tx.insert(sqliteSchema.energy).values([energyRow(run.id, null), energyRow(run.id, resultIds[0]), energyRow(run.id, resultIds[1])]).run();
        tx.insert(sqliteSchema.samples).values(sampleRows(run.id)).run();
        return { run: run.id };
      });

      const runId = pgRead.run.id;
      const fromPg = {
        hardware: await db.select().from(pgSchema.hardware),
        models: await db.select().from(pgSchema.models),
        runs: await db.select().from(pgSchema.runs).where(eq(pgSchema.runs.id, runId)),
        results: await db.select().from(pgSchema.results).where(eq(pgSchema.results.runId, runId)).orderBy(asc(pgSchema.results.id)),
        energy: await db.select().from(pgSchema.energy).where(eq(pgSchema.energy.runId, runId)).orderBy(asc(pgSchema.energy.id)),
        samples: await db.select().from(pgSchema.samples).where(eq(pgSchema.samples.runId, runId)).orderBy(asc(pgSchema.samples.t)),
      };
      const fromSqlite = {
        hardware: lite.select().from(sqliteSchema.hardware).all(),
        models: lite.select().from(sqliteSchema.models).all(),
        runs: lite.select().from(sqliteSchema.runs).where(eq(sqliteSchema.runs.id, liteIds.run)).all(),
        results: lite.select().from(sqliteSchema.results).where(eq(sqliteSchema.results.runId, liteIds.run)).orderBy(asc(sqliteSchema.results.id)).all(),
        energy: lite.select().from(sqliteSchema.energy).where(eq(sqliteSchema.energy.runId, liteIds.run)).orderBy(asc(sqliteSchema.energy.id)).all(),
        samples: lite.select().from(sqliteSchema.samples).where(eq(sqliteSchema.samples.runId, liteIds.run)).orderBy(asc(sqliteSchema.samples.t)).all(),
      };

      // What went in, with the ids each database gave.
      expect(fromPg.hardware).toEqual([{ id: pgRead.hw.id, ...hardwareRow }]);
      expect(fromPg.models).toEqual([{ id: pgRead.model.id, ...modelRow }]);
      expect(fromPg.runs).toEqual([{ id: runId, ...runRow(pgRead.model.id, pgRead.hw.id) }]);
      expect(fromPg.results).toEqual([0, 1].map((rep) => ({ id: pgRead.resultIds[rep], ...resultRow(runId, rep) })));
      expect(fromPg.energy.map(({ id: _id, ...row }) => row)).toEqual([energyRow(runId, null), energyRow(runId, pgRead.resultIds[0]), energyRow(runId, pgRead.resultIds[1])]);
      expect(fromPg.samples.map(({ id: _id, ...row }) => row)).toEqual(sampleRows(runId));
      expect(typeof fromPg.runs[0].startedAt).toBe('number');
      // The same as SQLite gives back (both databases numbered from 1).
      expect(fromPg).toEqual(fromSqlite);
    } finally {
      lite.$client.close();
      fs.rmSync(sqliteDir, { recursive: true, force: true });
      await closePgDb(db);
    }
  });

  it('reads a JSON column through its zod schema, as SQLite does: a stored value that does not match is a StoredJsonError', async () => {
    const db = await openPgDb(await cluster.createDatabase('badjson'));
    try {
      const [hw] = await db.insert(pgSchema.hardware).values(hardwareRow).returning();
      await db.execute(sql`UPDATE hardware SET gpus = '[{"name": 7}]'::jsonb WHERE id = ${hw.id}`);
      await expect(db.select().from(pgSchema.hardware)).rejects.toThrow(StoredJsonError);
      await expect(db.select().from(pgSchema.hardware)).rejects.toThrow(/^hardware\.gpus holds JSON that does not match its schema \(0\.name: /);
    } finally {
      await closePgDb(db);
    }
  });
});
