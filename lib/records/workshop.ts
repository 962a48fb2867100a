// The workshop's named queries (lib/records: the one read layer): a workshop by its join code, its manifest as
// served to participants, and its board: the machines with their live progress, the leaderboard of uploaded runs
// with each one's energy labels, and the room's totals against the same work in the cloud.
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { workshopParticipants, workshopRuns, workshops, type WorkshopRow } from '../db/schema';
import type { Suite } from '../suites/suiteSchema';
import { compareLocalToCloud } from '../footprint/compareLocalToCloud';
import type { LocalCloudComparison } from '../footprint/types';
import type { Lang } from '../i18n/lang';
import { isJoinCode } from '../workshop/joinCode';
import { UPLOAD_VERSION } from '../workshop/runUpload';
import { sortEntries } from '../workshop/leaderboardOrder';
import { getRunFootprintInput } from './getRunFootprintInput';
import { qualityByRun } from './qualityByRun';
import { readStoredRun } from './getRunRecord';

export function getWorkshopByCode(db: Db, code: string): WorkshopRow | null {
  if (!isJoinCode(code)) return null;
  return db.select().from(workshops).where(eq(workshops.code, code)).get() ?? null;
}

export interface WorkshopManifest {
  manifestVersion: 1;
  code: string;
  name: string;
  uploadSchemaVersion: number;
  suite: { name: string; definition: Suite };
  models: Array<{ fileName: string; sha256: string; bytes: number; url: string }>;
}

/** What a participant downloads first: the suite and the model files (never the leader-side paths). */
export function workshopManifest(w: WorkshopRow): WorkshopManifest {
  return {
    manifestVersion: 1,
    code: w.code,
    name: w.name,
    uploadSchemaVersion: UPLOAD_VERSION,
    suite: { name: w.suiteName, definition: w.suite },
    models: w.models.map((m) => ({ fileName: m.fileName, sha256: m.sha256, bytes: m.bytes, url: `/api/workshops/${w.code}/models/${m.sha256}` })),
  };
}

export type WorkshopPhase = 'joined' | 'downloading' | 'running' | 'publishing' | 'done' | 'failed';

export interface WorkshopMachine {
  clientId: string;
  nickname: string;
  phase: WorkshopPhase;
  done: number | null;
  total: number | null;
  detail: string | null;
  joinedAt: number;
  updatedAt: number;
}

export interface WorkshopEntry {
  runId: number;
  nickname: string;
  clientId: string;
  uploadedAt: number;
  model: string;
  cpu: string;
  gpus: string[];
  genTokensPerSec: number | null;
  outputTokens: number;
  inputTokens: number;
  /** Gross joules of the counted sources over the measured repetitions (null: not measured). */
  totalJ: number | null;
  joulesPerToken: number | null;
  /** Joules per correct graded answer (null: nothing graded, or no energy). */
  joulesPerCorrect: number | null;
  /** Share of graded answers that were right, 0–1 (null: nothing graded). */
  accuracy: number | null;
  /** Graded answers and the right ones among them (0 and 0: nothing graded). */
  graded: number;
  correct: number;
  /** measured | estimate | mixed | none: never an estimate shown as measured. */
  basis: 'measured' | 'estimate' | 'mixed' | 'none';
  /** The energy label (describeEnergyList of the counted rows, in the board's language); null without energy. */
  energyLabel: string | null;
  partial: boolean;
}

export interface WorkshopRoom {
  machines: number;
  runs: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum of the runs' energy; null when no run recorded any. */
  totalJ: number | null;
  /** measured only when every run's energy is; estimate when every one is estimated; else mixed. */
  basis: 'measured' | 'estimate' | 'mixed' | 'none';
  /** Runs without energy, left out of totalJ. */
  runsWithoutEnergy: number;
  /** The room's energy against the same tokens in the cloud (null: no energy, or the estimate failed). */
  cloud: LocalCloudComparison | null;
  cloudError: string | null;
}

export interface WorkshopBoard {
  code: string;
  name: string;
  machines: WorkshopMachine[];
  /** Fastest first (tokens per second); the page sorts by the other columns too. */
  leaderboard: WorkshopEntry[];
  room: WorkshopRoom;
}

function combineBases(bases: ReadonlyArray<WorkshopEntry['basis']>): WorkshopRoom['basis'] {
  const set = new Set(bases.filter((b) => b !== 'none'));
  if (set.size === 0) return 'none';
  if (set.size === 1) return [...set][0];
  return 'mixed';
}

/** The board of workshop `w`: what its page, its projector and `wattbench join` (where would I rank) show. */
export function getWorkshopBoard(db: Db, w: WorkshopRow, lang: Lang = 'en'): WorkshopBoard {
  const machines = db
    .select()
    .from(workshopParticipants)
    .where(eq(workshopParticipants.workshopId, w.id))
    .orderBy(workshopParticipants.joinedAt)
    .all()
    .map((p) => ({
      clientId: p.clientId,
      nickname: p.nickname,
      phase: p.phase as WorkshopPhase,
      done: p.done,
      total: p.total,
      detail: p.detail,
      joinedAt: p.joinedAt,
      updatedAt: p.updatedAt,
    }));
  const uploaded = db.select().from(workshopRuns).where(eq(workshopRuns.workshopId, w.id)).orderBy(desc(workshopRuns.uploadedAt)).all();
  const quality = qualityByRun(db, uploaded.map((u) => u.runId));
  const footprints = new Map<number, NonNullable<ReturnType<typeof getRunFootprintInput>>>();
  const leaderboard: WorkshopEntry[] = [];
  for (const u of uploaded) {
    const stored = readStoredRun(db, u.runId);
    const fp = getRunFootprintInput(db, u.runId, lang);
    if (!stored || !fp) continue;
    footprints.set(u.runId, fp);
    const q = quality.get(u.runId);
    leaderboard.push({
      runId: u.runId,
      nickname: u.nickname,
      clientId: u.clientId,
      uploadedAt: u.uploadedAt,
      model: stored.model.fileName,
      cpu: stored.hardware.cpuModel,
      gpus: stored.hardware.gpus.map((g) => g.name),
      genTokensPerSec: stored.summary.metrics.genTokensPerSec?.mean ?? null,
      outputTokens: fp.outputTokens,
      inputTokens: fp.inputTokens,
      totalJ: fp.local?.joules ?? null,
      joulesPerToken: fp.local && fp.outputTokens > 0 ? fp.local.joules / fp.outputTokens : null,
      joulesPerCorrect: q?.joulesPerCorrect ?? null,
      accuracy: q?.accuracy.p ?? null,
      graded: q?.graded ?? 0,
      correct: q?.correct ?? 0,
      basis: fp.local?.basis ?? 'none',
      energyLabel: fp.local?.label ?? null,
      partial: fp.local?.partial ?? false,
    });
  }
  const ranked = sortEntries(leaderboard, 'tps');
  return { code: w.code, name: w.name, machines, leaderboard: ranked, room: roomTotals(ranked, footprints, machines.length) };
}

function roomTotals(
  entries: readonly WorkshopEntry[],
  footprints: ReadonlyMap<number, NonNullable<ReturnType<typeof getRunFootprintInput>>>,
  machineCount: number,
): WorkshopRoom {
  const measured = entries.filter((e) => e.totalJ !== null);
  const inputTokens = entries.reduce((s, e) => s + e.inputTokens, 0);
  const outputTokens = entries.reduce((s, e) => s + e.outputTokens, 0);
  const totalJ = measured.length ? measured.reduce((s, e) => s + (e.totalJ ?? 0), 0) : null;
  const basis = combineBases(measured.map((e) => e.basis));
  const room: WorkshopRoom = {
    machines: Math.max(machineCount, new Set(entries.map((e) => e.clientId)).size),
    runs: entries.length,
    inputTokens,
    outputTokens,
    totalJ,
    basis,
    runsWithoutEnergy: entries.length - measured.length,
    cloud: null,
    cloudError: null,
  };
  if (totalJ === null || basis === 'none') return room;
  // The same work in the cloud: the tokens of the runs whose energy is counted, on the model most of them ran.
  const byModel = new Map<string, WorkshopEntry[]>();
  for (const e of measured) byModel.set(e.model, [...(byModel.get(e.model) ?? []), e]);
  const main = [...byModel.values()].sort((a, b) => b.length - a.length)[0];
  const fps = main.map((e) => footprints.get(e.runId)!);
  const locals = fps.map((f) => f.local!);
  const join = (values: string[]) => [...new Set(values)].join(' + ');
  try {
    room.cloud = compareLocalToCloud({
      inputTokens: fps.reduce((s, f) => s + f.inputTokens, 0),
      outputTokens: fps.reduce((s, f) => s + f.outputTokens, 0),
      local: {
        joules: locals.reduce((s, l) => s + l.joules, 0),
        source: join(locals.flatMap((l) => l.sources)),
        boundary: join(locals.flatMap((l) => l.boundaries)),
        method: join(locals.flatMap((l) => l.methods)),
        partial: locals.some((l) => l.partial),
        label: join(locals.map((l) => l.label)),
        basis: combineBases(locals.map((l) => l.basis)) as 'measured' | 'estimate' | 'mixed',
      },
      localModel: { name: fps[0].model.name, fileName: fps[0].model.fileName, parameters: fps[0].model.parameters },
    });
  } catch (err) {
    room.cloudError = (err as Error).message;
  }
  return room;
}

/** Uploaded runs of a workshop, as run ids (tests, and the PostgreSQL store's checks). */
export function workshopRunIds(db: Db, workshopId: number): number[] {
  return db.select({ runId: workshopRuns.runId }).from(workshopRuns).where(inArray(workshopRuns.workshopId, [workshopId])).all().map((r) => r.runId);
}
