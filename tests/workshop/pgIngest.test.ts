// The workshop's ingest on a real PostgreSQL (tests/helpers/postgres.ts) beside SQLite: a real run made by the CLI
// on stories260K, its upload ingested into both, the same rows stored; stored once when uploaded twice, also when
// the two uploads arrive at the same moment through two connection pools (two leader processes on one database);
// nothing left by an upload that fails mid-write; and the same leaderboard read from both.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb, type Db } from '../../lib/db/openDb';
import * as lite from '../../lib/db/schema';
import * as pgs from '../../lib/db/pg/schema';
import { closePgDb, openPgDb, type PgDb } from '../../lib/db/pg/openPgDb';
import { ingestRunPg } from '../../lib/db/pg/ingestRunPg';
import { createWorkshopPg, getWorkshopByCodePg } from '../../lib/db/pg/workshopPg';
import { getWorkshopBoardPg } from '../../lib/db/pg/workshopBoardPg';
import { pgWorkshopStore, sqliteWorkshopStore } from '../../lib/db/pg/workshopStore';
import { getDashboardWorkshopStore } from '../../lib/db/pg/dashboardWorkshopStore';
import { getServerPgDb } from '../../lib/db/pg/serverPgDb';
import { applyServerEnv, createWorkshopIn } from '../../lib/db/pg/createWorkshopIn';
import { resolveDatabaseTarget } from '../../lib/db/pg/resolveDatabaseTarget';
import { loadSuite } from '../../lib/suites/loadSuite';
import { buildRunUpload, runUploadSchema, type RunUpload } from '../../lib/workshop/runUpload';
import { createWorkshop } from '../../lib/workshop/createWorkshop';
import { ingestRun } from '../../lib/workshop/ingestRun';
import { hashUploadToken } from '../../lib/workshop/uploadToken';
import { runCli } from '../helpers/runCli';
import { makeTempDir, STORIES_MODEL } from '../helpers/paths';
import { describePostgres, postgresTestsRun, startPostgres, type PostgresCluster } from '../helpers/postgres';

const dir = makeTempDir('workshop-pg');
const identity = { clientId: randomUUID(), nickname: 'Grey Heron' };
let cluster: PostgresCluster;
let upload: RunUpload;
let leader: Db;
let pg: PgDb;
let workshop: lite.WorkshopRow;

beforeAll(async () => {
  if (!postgresTestsRun) return;
  cluster = await startPostgres();
  const sourceFile = path.join(dir, 'participant.db');
  // The prebuilt binary: a local llama.cpp build in progress elsewhere holds node-llama-cpp's build lock.
  const made = await runCli(
    ['run', '-m', STORIES_MODEL, '-s', 'quality', '-r', '2', '-w', '0', '-t', '1', '--idle-seconds', '0', '--db', sourceFile, '--json'],
    { WATTBENCH_ENGINE: 'prebuilt' },
  );
  expect(made.code, made.stderr).toBe(0);
  const source = openDb(sourceFile, { readonly: true });
  upload = runUploadSchema.parse(JSON.parse(JSON.stringify(buildRunUpload(source, (JSON.parse(made.stdout) as { id: number }).id, identity))));
  source.$client.close();

  // The same workshop row in a SQLite leader database and in PostgreSQL (both number it 1).
  leader = openDb(path.join(dir, 'leader.db'), { recoverOrphans: false });
  workshop = (await createWorkshop(leader, { name: 'Room 101', suite: loadSuite('quality').suite, models: [{ path: STORIES_MODEL }] })).workshop;
  pg = await openPgDb(await cluster.createDatabase('room'));
  const { id: _id, ...row } = workshop;
  await pg.insert(pgs.workshops).values(row);
});

afterAll(async () => {
  leader?.$client.close();
  if (pg) await closePgDb(pg);
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function pgCounts(db: PgDb) {
  const n = async (table: typeof pgs.runs | typeof pgs.results | typeof pgs.energy | typeof pgs.samples | typeof pgs.workshopRuns | typeof pgs.hardware | typeof pgs.models) =>
    (await db.select({ n: count() }).from(table))[0].n;
  return {
    runs: await n(pgs.runs),
    results: await n(pgs.results),
    energy: await n(pgs.energy),
    samples: await n(pgs.samples),
    workshopRuns: await n(pgs.workshopRuns),
    hardware: await n(pgs.hardware),
    models: await n(pgs.models),
  };
}

describePostgres('ingestRunPg', () => {
  it('stores the rows the SQLite ingest stores, id for id', async () => {
    const uploadedAt = Date.now();
    const inPg = await ingestRunPg(pg, workshop, upload, uploadedAt);
    const inLite = ingestRun(leader, workshop, upload, uploadedAt);
    expect(inPg).toEqual({ runId: 1, duplicate: false });
    expect(inLite).toEqual(inPg);
    const byId = { hardware: lite.hardware.id, models: lite.models.id, runs: lite.runs.id, results: lite.results.id, energy: lite.energy.id, samples: lite.samples.id, workshopRuns: lite.workshopRuns.id };
    for (const name of Object.keys(byId) as (keyof typeof byId)[]) {
      const fromLite = leader.select().from(lite[name]).orderBy(asc(byId[name])).all();
      const fromPg = await pg.select().from(pgs[name]).orderBy(asc(pgs[name].id));
      expect(fromPg, name).toEqual(fromLite);
      expect(fromPg.length, name).toBeGreaterThan(0);
    }
  });

  it('stores the same upload once: the second answers duplicate with the first run', async () => {
    const before = await pgCounts(pg);
    expect(await ingestRunPg(pg, workshop, upload)).toEqual({ runId: 1, duplicate: true });
    expect(await pgCounts(pg)).toEqual(before);
  });

  it('stores one run when the same upload arrives through two pools at once', async () => {
    const again: RunUpload = { ...upload, localRunId: upload.localRunId + 1 };
    const other = await openPgDb(cluster.url.replace(/\/wattbench_test$/, '/room'));
    try {
      const before = await pgCounts(pg);
      const answers = await Promise.all([ingestRunPg(pg, workshop, again), ingestRunPg(other, workshop, again), ingestRunPg(other, workshop, again), ingestRunPg(pg, workshop, again)]);
      const stored = answers.filter((a) => !a.duplicate);
      expect(stored).toHaveLength(1);
      expect(answers.every((a) => a.runId === stored[0].runId)).toBe(true);
      const after = await pgCounts(pg);
      expect(after).toEqual({
        ...before,
        runs: before.runs + 1,
        results: before.results + upload.results.length,
        energy: before.energy + upload.energy.length,
        samples: before.samples + upload.samples.length,
        workshopRuns: before.workshopRuns + 1,
      });
    } finally {
      await closePgDb(other);
    }
  });

  it('leaves nothing when a write fails mid-transaction', async () => {
    const before = await pgCounts(pg);
    // A new machine, whose last result breaks a NOT NULL constraint after the machine, run and first results are written.
    const results = upload.results.map((r, i) => (i === upload.results.length - 1 ? { ...r, ttftMs: null as unknown as number } : r));
    const broken: RunUpload = { ...upload, localRunId: upload.localRunId + 2, hardware: { ...upload.hardware, fingerprint: 'e'.repeat(64) }, results };
    await expect(ingestRunPg(pg, workshop, broken)).rejects.toThrow();
    expect(await pgCounts(pg)).toEqual(before);
  });
});

describePostgres('createWorkshopPg', () => {
  it('stores what createWorkshop decides: a join code, the token as its sha256, the models by sha256', async () => {
    const created = await createWorkshopPg(pg, { name: 'Amphi B', suite: loadSuite('smoke').suite, models: [{ path: STORIES_MODEL }] });
    expect(created.workshop.code).toBe(created.code);
    expect(created.workshop.tokenSha256).toBe(hashUploadToken(created.token));
    expect(created.workshop.models).toEqual([expect.objectContaining({ fileName: 'stories260K.gguf', sha256: workshop.models[0].sha256 })]);
    expect(await getWorkshopByCodePg(pg, created.code)).toEqual(created.workshop);
    const [row] = await pg.select().from(pgs.workshops).where(eq(pgs.workshops.code, created.code));
    expect(row.suite.name).toBe('smoke');
  });
});

describePostgres('the workshop store on SQLite and PostgreSQL', () => {
  it('gives the board getWorkshopBoard gives on SQLite for the same uploads and progress', async () => {
    // A second participant, on another machine, with the same run, and both machines' progress in both databases.
    const second: RunUpload = { ...upload, clientId: randomUUID(), nickname: 'Red Kite', hardware: { ...upload.hardware, fingerprint: 'd'.repeat(64) } };
    // Through the one interface the routes use, on each database.
    const [liteStore, pgStore] = [sqliteWorkshopStore(leader), pgWorkshopStore(pg)];
    const uploadedAt = Date.now();
    const inLite = await liteStore.ingestRun(workshop, second, uploadedAt);
    const inPg = await pgStore.ingestRun(workshop, second, uploadedAt);
    const progress = [
      { clientId: identity.clientId, nickname: identity.nickname, phase: 'done' as const },
      { clientId: second.clientId, nickname: second.nickname, phase: 'downloading' as const, done: 3_000_000_000, total: 4_500_000_000, detail: 'model 66 %' },
    ];
    for (const store of [liteStore, pgStore]) {
      for (const [i, p] of progress.entries()) await store.recordProgress(workshop.id, p, uploadedAt + i);
    }
    expect(await pgStore.getWorkshopByCode(workshop.code)).toEqual(await liteStore.getWorkshopByCode(workshop.code));
    expect(await pgStore.getWorkshopByCode('not a code')).toBeNull();

    // Run ids differ between the two databases (the earlier tests stored more in PostgreSQL): uploads match by key.
    const boardPg = await pgStore.getBoard(workshop);
    const boardLite = await liteStore.getBoard(workshop);
    expect(await getWorkshopBoardPg(pg, workshop.code, 'fr')).toEqual(await pgStore.getBoard(workshop, 'fr'));
    const liteRunOfKey = new Map(leader.select().from(lite.workshopRuns).all().map((u) => [u.uploadKey, u.runId]));
    const pgToLite = new Map<number, number>();
    for (const u of await pg.select().from(pgs.workshopRuns)) {
      const liteRun = liteRunOfKey.get(u.uploadKey);
      if (liteRun !== undefined) pgToLite.set(u.runId, liteRun);
    }
    expect(pgToLite.get(inPg.runId)).toBe(inLite.runId);
    const shared = boardPg.leaderboard.filter((e) => pgToLite.has(e.runId)).map((e) => ({ ...e, runId: pgToLite.get(e.runId)! }));
    expect(shared).toEqual(boardLite.leaderboard);
    expect(boardPg.machines).toEqual(boardLite.machines);
    expect(boardPg.machines[1]).toMatchObject({ nickname: 'Red Kite', done: 3_000_000_000, total: 4_500_000_000 });
    expect(boardLite.leaderboard).toHaveLength(2);
    expect(boardLite.leaderboard[0].energyLabel).toBeTruthy();
    expect(boardPg.room.runs).toBe(boardLite.room.runs + 1);
    expect(await getWorkshopBoardPg(pg, 'ZZZZZZ')).toBeNull();
  });
});

describePostgres("the dashboard server's workshop store", () => {
  it('is PostgreSQL when WATTBENCH_DATABASE_URL is set, else the SQLite file of WATTBENCH_DB; a refused database is its one-line reason', async () => {
    const saved = { url: process.env.WATTBENCH_DATABASE_URL, db: process.env.WATTBENCH_DB };
    const restore = (name: 'WATTBENCH_DATABASE_URL' | 'WATTBENCH_DB', value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
    try {
      process.env.WATTBENCH_DB = path.join(dir, 'leader.db');
      delete process.env.WATTBENCH_DATABASE_URL;
      for (const mode of ['read', 'write'] as const) {
        const got = await getDashboardWorkshopStore(mode);
        expect(got.ok && got.store.dialect).toBe('sqlite');
        expect(got.ok && (await got.store.getWorkshopByCode(workshop.code))?.name).toBe('Room 101');
      }
      const roomUrl = cluster.url.replace(/\/wattbench_test$/, '/room');
      process.env.WATTBENCH_DATABASE_URL = roomUrl;
      const got = await getDashboardWorkshopStore('write');
      expect(got.ok && got.store.dialect).toBe('postgres');
      expect(got.ok && (await got.store.getWorkshopByCode(workshop.code))?.name).toBe('Room 101');
      await closePgDb(await getServerPgDb(roomUrl)!);
      process.env.WATTBENCH_DATABASE_URL = `postgres://wattbench:${cluster.password}@127.0.0.1:1/room`;
      const refused = await getDashboardWorkshopStore('read');
      expect(refused).toEqual({ ok: false, reason: 'cannot connect to PostgreSQL at 127.0.0.1:1 (connection refused): start the server, or fix the host and port in postgres://wattbench@127.0.0.1:1/room' });
    } finally {
      restore('WATTBENCH_DATABASE_URL', saved.url);
      restore('WATTBENCH_DB', saved.db);
    }
  });
});

describePostgres('createWorkshopIn (wattbench workshop --db FILE | --database-url URL)', () => {
  it('creates the workshop in the chosen database and names the environment its dashboard server reads', async () => {
    const options = { name: 'Lab 3', suite: loadSuite('smoke').suite, models: [{ path: STORIES_MODEL, sha256: workshop.models[0].sha256 }] };
    const file = path.join(dir, 'lab.db');
    const inFile = await createWorkshopIn(resolveDatabaseTarget({ db: file }, {}), options);
    expect(inFile.serverEnv).toEqual({ WATTBENCH_DB: file });
    // A URL left in the environment does not follow a --db workshop to its server.
    const env: Record<string, string | undefined> = { WATTBENCH_DATABASE_URL: 'postgres://u@h/d', PATH: '/bin' };
    applyServerEnv(inFile, env);
    expect(env).toEqual({ WATTBENCH_DB: file, PATH: '/bin' });
    const check = openDb(file, { readonly: true });
    await expect(sqliteWorkshopStore(check).getWorkshopByCode(inFile.code)).resolves.toEqual(inFile.workshop);
    check.$client.close();

    const url = await cluster.createDatabase('lab');
    const inPg = await createWorkshopIn(resolveDatabaseTarget({ databaseUrl: url }, {}), options);
    expect(inPg.serverEnv).toEqual({ WATTBENCH_DATABASE_URL: url });
    applyServerEnv(inPg, env);
    expect(env).toEqual({ WATTBENCH_DATABASE_URL: url, PATH: '/bin' });
    expect(inPg.display).toBe(`postgres://wattbench@127.0.0.1:${cluster.port}/lab`);
    expect(inPg.display).not.toContain(cluster.password);
    const db = await openPgDb(url);
    try {
      expect(await getWorkshopByCodePg(db, inPg.code)).toEqual(inPg.workshop);
    } finally {
      await closePgDb(db);
    }
  });
});
