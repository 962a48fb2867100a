// A machine's profile: the points it is fitted on (its completed runs whose model size is known), storing it,
// and the latest one per machine with the advice derived from it — the one read path of `wattbench advise` and
// the "Which model" page.
import { and, desc, eq, inArray, isNotNull, isNull, notLike, or } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { energy, hardware, machineProfiles, models, results, runs } from '../db/schema';
import type { MachineProfileFit } from '../domain/jsonColumns';
import type { EnergyBasis } from '../domain/types';
import type { FitInput, WattsSource } from '../advise/fitProfile';
import { advise, type Advice, type Candidate, type Goal, type MemoryBudget } from '../advise/advise';
import { catalogueCandidates } from '../advise/catalogue';
import { tokenCost, type EmbeddingShape } from '../advise/modelCost';
import { ladderEmbeddingShape } from '../advise/probeLadder';
import { parseParameterCount, shapeForParameters } from '../forge/forgeLlamaModel';
import { hardwareLabel, modelLabel } from './runLabels';

/** The label of the probe's runs: how a run is known as one of the probe's. */
export const PROBE_LABEL = 'wattbench probe';
/** Results too short to measure a rate: prompts under this many tokens, answers under this many. */
const MIN_PROMPT_TOKENS = 64;
const MIN_OUTPUT_TOKENS = 16;
/**
 * The embedding shape of a model the probe forged (`probe-60M-L28-f16.gguf`, or an earlier probe's or the forge
 * command's `forge-60M-f16.gguf`: its shape follows from the size and depth in the name), else null.
 */
export function forgedShape(fileName: string): EmbeddingShape | null {
  const rung = ladderEmbeddingShape(fileName);
  if (rung) return rung;
  const m = /^forge-(\d+(?:\.\d+)?[KMB])-f(?:16|32)\.gguf$/.exec(fileName);
  const target = m ? parseParameterCount(m[1]) : null;
  if (target === null) return null;
  const shape = shapeForParameters(target);
  return { vocab: shape.vocab, embd: shape.embd, tied: false };
}

/** Runs of another suite than pp-tg weigh half: shorter prompts and chat answers measure the rates less cleanly. */
const OTHER_SUITE_WEIGHT = 0.5;

/** The median repetition: on a shared machine one disturbed repetition must not move the point. */
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Every completed run on the machine whose model has a known parameter count, as a fit point: generation tok/s
 * (median over the repetitions with ≥ 16 output tokens), prompt tok/s (over those with ≥ 64 prompt tokens), and
 * the mean power while processing prompts (Σ prefill J / Σ time to first token) and while generating
 * (Σ decode J / Σ generation time). A run lacking either rate is left out; with `threads`, so is a run at another
 * generation thread count (speed depends on it as much as on the model).
 */
export function collectProfilePoints(db: Db, hardwareId: number, opts: { threads?: number } = {}): FitInput[] {
  const rows = db
    .select({ runId: runs.id, suite: runs.suite, label: runs.label, energyBasis: runs.energyBasis, modelId: models.id, fileName: models.fileName, name: models.name, sizeBytes: models.sizeBytes, parameters: models.parameters })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .where(and(eq(runs.hardwareId, hardwareId), eq(runs.status, 'completed'), isNotNull(models.parameters), opts.threads !== undefined ? eq(runs.threads, opts.threads) : undefined))
    .orderBy(runs.id)
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.runId);
  const reps = db.select().from(results).where(inArray(results.runId, ids)).all();
  const energyRows = db
    .select({ runId: energy.runId, source: energy.source, boundary: energy.boundary, method: energy.method, estimateModel: energy.estimateModel, counts: energy.countsTowardTotal, resultId: energy.resultId })
    .from(energy)
    .where(inArray(energy.runId, ids))
    .all();
  const points: FitInput[] = [];
  for (const r of rows) {
    const mine = reps.filter((x) => x.runId === r.runId);
    const gen = median(mine.filter((x) => x.outputTokens >= MIN_OUTPUT_TOKENS && x.genTokensPerSec !== null).map((x) => x.genTokensPerSec!));
    const prompt = median(mine.filter((x) => x.promptTokens >= MIN_PROMPT_TOKENS).map((x) => x.promptTokensPerSec));
    if (gen === null || prompt === null || !(gen > 0) || !(prompt > 0)) continue;
    const pre = mine.filter((x) => x.promptTokens >= MIN_PROMPT_TOKENS && x.prefillJ !== null && x.ttftMs > 0);
    const dec = mine.filter((x) => x.outputTokens >= MIN_OUTPUT_TOKENS && x.decodeJ !== null && x.e2eMs > x.ttftMs);
    const prefillW = pre.length > 0 ? pre.reduce((a, x) => a + x.prefillJ!, 0) / (pre.reduce((a, x) => a + x.ttftMs, 0) / 1000) : null;
    const decodeW = dec.length > 0 ? dec.reduce((a, x) => a + x.decodeJ!, 0) / (dec.reduce((a, x) => a + (x.e2eMs - x.ttftMs), 0) / 1000) : null;
    const sources: WattsSource[] = energyRows
      .filter((e) => e.runId === r.runId && e.resultId === null && e.counts)
      .map((e) => ({ source: e.source, boundary: e.boundary, method: e.method, estimateModel: e.estimateModel }));
    points.push({
      runId: r.runId,
      origin: r.label === PROBE_LABEL ? 'probe' : 'run',
      modelId: r.modelId,
      modelLabel: modelLabel(r.name, r.fileName),
      modelBytes: r.sizeBytes,
      parameters: r.parameters!,
      ...tokenCost(r.sizeBytes, r.parameters!, forgedShape(r.fileName)),
      genTokensPerSec: gen,
      promptTokensPerSec: prompt,
      weight: r.suite === 'pp-tg' ? 1 : OTHER_SUITE_WEIGHT,
      prefillW,
      decodeW,
      energySources: sources,
      energyBasis: (r.energyBasis ?? 'none') as EnergyBasis,
    });
  }
  return points;
}

export function hardwareIdOfRun(db: Db, runId: number): number {
  const row = db.select({ hardwareId: runs.hardwareId }).from(runs).where(eq(runs.id, runId)).get();
  if (!row) throw new Error(`run ${runId} not found`);
  return row.hardwareId;
}

export function storeMachineProfile(db: Db, hardwareId: number, fit: MachineProfileFit): number {
  const row = db
    .insert(machineProfiles)
    .values({
      hardwareId,
      createdAt: Date.now(),
      fit,
      runIds: fit.points.map((p) => p.runId),
      heldOutGenError: fit.heldOut?.genError ?? null,
      heldOutPromptError: fit.heldOut?.promptError ?? null,
    })
    .returning({ id: machineProfiles.id })
    .get();
  return row.id;
}

export interface StoredProfile {
  id: number;
  createdAt: number;
  hardwareId: number;
  machineLabel: string;
  memoryBytes: number;
  /** The largest GPU's memory (null: none known). */
  vramBytes: number | null;
  fit: MachineProfileFit;
}

/** The newest profile of a machine (by fingerprint), or of any machine (null); null when there is none. */
export function getLatestMachineProfile(db: Db, fingerprint: string | null): StoredProfile | null {
  const row = db
    .select({ id: machineProfiles.id, createdAt: machineProfiles.createdAt, hardwareId: machineProfiles.hardwareId, fit: machineProfiles.fit, hostname: hardware.hostname, cpuModel: hardware.cpuModel, memoryBytes: hardware.memoryBytes, gpus: hardware.gpus })
    .from(machineProfiles)
    .innerJoin(hardware, eq(hardware.id, machineProfiles.hardwareId))
    .where(fingerprint !== null ? eq(hardware.fingerprint, fingerprint) : undefined)
    .orderBy(desc(machineProfiles.createdAt), desc(machineProfiles.id))
    .get();
  if (!row) return null;
  const vram = Math.max(0, ...row.gpus.map((g) => g.memoryBytes ?? 0));
  return { id: row.id, createdAt: row.createdAt, hardwareId: row.hardwareId, machineLabel: hardwareLabel(row.hostname, row.cpuModel), memoryBytes: row.memoryBytes, vramBytes: vram > 0 ? vram : null, fit: row.fit };
}

/** The models of the database with a known size and parameter count, forged ones aside, as candidates. */
export function databaseCandidates(db: Db): Candidate[] {
  return db
    .select({ sha256: models.sha256, fileName: models.fileName, name: models.name, type: models.type, sizeBytes: models.sizeBytes, parameters: models.parameters })
    .from(models)
    .where(and(isNotNull(models.parameters), notLike(models.fileName, 'forge-%'), or(isNull(models.name), notLike(models.name, 'wattbench-forge%'))))
    .orderBy(models.id)
    .all()
    .map((m) => ({
      id: `db:${m.sha256.slice(0, 12)}`,
      name: modelLabel(m.name, m.fileName),
      quant: m.type,
      sizeBytes: m.sizeBytes,
      parameters: m.parameters!,
      layers: null,
      kvDim: null,
      embedding: null,
      origin: 'database' as const,
      source: 'benchmarked in this database',
    }));
}

/** Share of a machine's memory the advice counts as usable when the free memory now is not known (the page). */
export const USABLE_MEMORY_SHARE = 0.8;

export interface ModelAdvice {
  profile: StoredProfile;
  goal: Goal;
  budget: MemoryBudget;
  ranked: Advice[];
  pick: Advice | null;
}

/**
 * The advice for a machine: the catalogue and the database's models, predicted from its latest profile and
 * ranked for the goal; null when the machine has no profile. `ramBytes`: the memory free now (the CLI, on this
 * machine); by default 80 % of the machine's memory (the dashboard, which may show another machine).
 */
/**
 * The advice for a machine's latest profile: the catalogue, the database's models and `onDisk` (the models found
 * on this machine's disk: `wattbench advise` passes them; the page, which may serve another machine's
 * profile, does not).
 */
export function getModelAdvice(db: Db, opts: { fingerprint: string | null; goal: Goal; ramBytes?: number; onDisk?: readonly Candidate[] }): ModelAdvice | null {
  const profile = getLatestMachineProfile(db, opts.fingerprint);
  if (!profile) return null;
  const budget: MemoryBudget = { ramBytes: opts.ramBytes ?? profile.memoryBytes * USABLE_MEMORY_SHARE, vramBytes: profile.vramBytes };
  const { ranked, pick } = advise([...catalogueCandidates(), ...databaseCandidates(db), ...(opts.onDisk ?? [])], profile.fit, budget, opts.goal);
  return { profile, goal: opts.goal, budget, ranked, pick };
}
