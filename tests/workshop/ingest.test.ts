// The workshop's upload and ingest on real SQLite files: a real run made by the CLI on stories260K, its upload
// through JSON and the schema, ingested into a second database whose record (getRunRecord) has the same figures
// and labels; a second upload stored once; a write failing mid-transaction leaving nothing; an estimate that
// claims to be a measurement refused.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../lib/db/openDb';
import { getRunRecord, type RunRecord } from '../../lib/records/getRunRecord';
import { readRepetitionEnergyRows } from '../../lib/records/workshopRunRows';
import { loadSuite } from '../../lib/suites/loadSuite';
import { buildRunUpload, downsampleSamples, runUploadSchema, UPLOAD_MAX_SAMPLES, type RunUpload } from '../../lib/workshop/runUpload';
import { createWorkshop } from '../../lib/workshop/createWorkshop';
import { ingestRun } from '../../lib/workshop/ingestRun';
import { uploadTokenMatches } from '../../lib/workshop/uploadToken';
import { isJoinCode } from '../../lib/workshop/joinCode';
import type { SampleRow, WorkshopRow } from '../../lib/db/schema';
import { runCli } from '../helpers/runCli';
import { makeTempDir, STORIES_MODEL } from '../helpers/paths';
import { queryDb } from '../helpers/queryDb';

const dir = makeTempDir('workshop-ingest');
const sourceFile = path.join(dir, 'participant.db');
const leaderFile = path.join(dir, 'leader.db');
const identity = { clientId: randomUUID(), nickname: 'Blue Heron' };
let source: Db;
let leader: Db;
let localRunId: number;
let workshop: WorkshopRow;
let token: string;

/** A record with what legitimately differs between two databases taken out: ids, the hostname, the model's path. */
function comparable(r: RunRecord) {
  const { id: _id, hardware, settings, energyRows, results, ...rest } = r;
  const { hostname: _h, ...hw } = hardware;
  const { modelPath: _p, model: _m, ...s } = settings;
  return {
    ...rest,
    hardware: hw,
    settings: s,
    energyRows: energyRows.map(({ id: _i, runId: _r, ...e }) => e),
    results: results.map(({ id: _i, ...x }) => x),
  };
}

const counts = (file: string) =>
  queryDb<Record<string, number>>(
    file,
    `SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM results) AS results, (SELECT count(*) FROM energy) AS energy,
            (SELECT count(*) FROM samples) AS samples, (SELECT count(*) FROM workshop_runs) AS workshopRuns,
            (SELECT count(*) FROM hardware) AS hardware, (SELECT count(*) FROM models) AS models`,
  )[0];

beforeAll(async () => {
  // The prebuilt binary: a `wattbench setup` building llama.cpp on this machine meanwhile holds node-llama-cpp's
  // build lock, and a run looking for the local build would wait for it.
  const made = await runCli(
    ['run', '-m', STORIES_MODEL, '-s', 'quality', '-r', '2', '-w', '0', '-t', '1', '--idle-seconds', '0', '--db', sourceFile, '--json'],
    { WATTBENCH_ENGINE: 'prebuilt' },
  );
  expect(made.stderr).not.toMatch(/error/i);
  expect(made.code).toBe(0);
  localRunId = (JSON.parse(made.stdout) as { id: number }).id;
  source = openDb(sourceFile, { readonly: true });
  leader = openDb(leaderFile, { recoverOrphans: false });
  const created = await createWorkshop(leader, { name: 'Room 101', suite: loadSuite('quality').suite, models: [{ path: STORIES_MODEL }] });
  workshop = created.workshop;
  token = created.token;
});

describe('createWorkshop', () => {
  it('gives a join code and a token stored only as its sha256, and serves the model by its sha256', () => {
    expect(isJoinCode(workshop.code)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(workshop.tokenSha256).not.toContain(token);
    expect(uploadTokenMatches(token, workshop.tokenSha256)).toBe(true);
    expect(uploadTokenMatches(`${token}x`, workshop.tokenSha256)).toBe(false);
    expect(workshop.models).toEqual([expect.objectContaining({ fileName: 'stories260K.gguf', path: STORIES_MODEL })]);
    // The same sha256 the run recorded when it inspected the file.
    expect(workshop.models[0].sha256).toBe(getRunRecord(source, localRunId).model.sha256);
  });
});

describe('run upload', () => {
  it('round-trips a real run through JSON and the schema unchanged', () => {
    const upload = buildRunUpload(source, localRunId, identity);
    const parsed = runUploadSchema.parse(JSON.parse(JSON.stringify(upload)));
    expect(parsed).toEqual(upload);
    expect(upload.results.length).toBeGreaterThan(0);
    expect(upload.energy.some((e) => e.resultIndex !== null)).toBe(true);
    // The participant's paths and hostname stay on their machine.
    expect(JSON.stringify(upload).includes(path.dirname(STORIES_MODEL))).toBe(false);
    expect(upload.run.settings.modelPath).toBe('stories260K.gguf');
  });

  it('refuses an estimate relabelled as a measurement', () => {
    const upload = buildRunUpload(source, localRunId, identity);
    const basis = upload.run.energyBasis;
    expect(basis === 'estimate' || basis === 'measured' || basis === 'mixed').toBe(true);
    const claimed = { ...upload, run: { ...upload.run, energyBasis: basis === 'measured' ? 'estimate' : 'measured' } };
    const result = runUploadSchema.safeParse(claimed);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['run', 'energyBasis']);
    // Rows rewritten to "counter" no longer agree with the summary's stated basis either.
    if (basis === 'estimate') {
      const rows = { ...upload, run: { ...upload.run, energyBasis: null }, energy: upload.energy.map((e) => ({ ...e, method: 'counter' })) };
      expect(runUploadSchema.safeParse(rows).success).toBe(false);
    }
  });

  it('keeps at most 2,000 samples by min/max per time bucket: the highest and lowest power stay', () => {
    const rows: SampleRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: i + 1, runId: 1, t: 1_000_000 + i * 100, phase: 'measure', promptIndex: 0, cpuPercent: 50, processCpuPercent: 40,
      rssBytes: 1, memUsedBytes: 1, tokensGenerated: i, powerW: 20 + ((i * 7919) % 101) / 10, power: null,
    }));
    rows[4321].powerW = 95;
    rows[777].powerW = 1;
    const kept = downsampleSamples(rows);
    expect(kept.length).toBeLessThanOrEqual(UPLOAD_MAX_SAMPLES);
    expect(kept.length).toBeGreaterThan(UPLOAD_MAX_SAMPLES / 2);
    expect(kept).toContain(rows[4321]);
    expect(kept).toContain(rows[777]);
    expect(kept.map((r) => r.t)).toEqual([...kept.map((r) => r.t)].sort((a, b) => a - b));
  });
});

describe('ingestRun', () => {
  let upload: RunUpload;
  let runId: number;

  beforeAll(() => {
    upload = runUploadSchema.parse(JSON.parse(JSON.stringify(buildRunUpload(source, localRunId, identity))));
    const first = ingestRun(leader, workshop, upload);
    expect(first.duplicate).toBe(false);
    runId = first.runId;
  });

  it("stores a record equal to the participant's: same figures, same energy labels", () => {
    const local = getRunRecord(source, localRunId);
    const stored = getRunRecord(leader, runId);
    expect(comparable(stored)).toEqual(comparable(local));
    expect(stored.energyDescription).toEqual(local.energyDescription);
    expect(stored.hardware.hostname).toBe(identity.nickname);
    // Per-repetition energy rows too, each attached to its repetition.
    const strip = (db: Db, id: number, rec: RunRecord) =>
      readRepetitionEnergyRows(db, id).map(({ id: _i, runId: _r, resultId, ...e }) => ({ ...e, rep: rec.results.findIndex((r) => r.id === resultId) }));
    expect(strip(leader, runId, stored)).toEqual(strip(source, localRunId, local));
    const sampleCount = (file: string, id: number) => queryDb<{ n: number }>(file, 'SELECT count(*) AS n FROM samples WHERE run_id = ?', id)[0].n;
    expect(sampleCount(leaderFile, runId)).toBe(Math.min(UPLOAD_MAX_SAMPLES, sampleCount(sourceFile, localRunId)));
  });

  it('stores the same run uploaded twice once', () => {
    const before = counts(leaderFile);
    expect(ingestRun(leader, workshop, upload)).toEqual({ runId, duplicate: true });
    expect(counts(leaderFile)).toEqual(before);
    expect(queryDb(leaderFile, 'SELECT nickname, client_id AS clientId FROM workshop_runs')).toEqual([
      { nickname: identity.nickname, clientId: identity.clientId },
    ]);
  });

  it("finds the machine and model rows of an earlier upload instead of adding new ones", () => {
    const before = counts(leaderFile);
    const another = ingestRun(leader, workshop, { ...upload, localRunId: localRunId + 1 });
    expect(another.duplicate).toBe(false);
    expect(another.runId).not.toBe(runId);
    const after = counts(leaderFile);
    expect(after).toMatchObject({ runs: before.runs + 1, workshopRuns: before.workshopRuns + 1, hardware: before.hardware, models: before.models });
    const ids = (id: number) => queryDb<{ h: number; m: number }>(leaderFile, 'SELECT hardware_id AS h, model_id AS m FROM runs WHERE id = ?', id)[0];
    expect(ids(another.runId)).toEqual(ids(runId));
  });

  it('leaves nothing when a write fails mid-transaction', () => {
    const before = counts(leaderFile);
    // Another run of a new machine whose last result breaks a NOT NULL constraint: the machine, run and first
    // results are written before it fails.
    const results = upload.results.map((r, i) => (i === upload.results.length - 1 ? { ...r, ttftMs: null as unknown as number } : r));
    const broken: RunUpload = { ...upload, localRunId: localRunId + 1000, hardware: { ...upload.hardware, fingerprint: 'f'.repeat(64) }, results };
    expect(() => ingestRun(leader, workshop, broken)).toThrow(/NOT NULL/);
    expect(counts(leaderFile)).toEqual(before);
  });
});
