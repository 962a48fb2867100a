// `wattbench probe`: forge a ladder of model sizes that fit the machine (cached), benchmark each on pp-tg as a
// normal run, then fit the machine's profile on every completed run it has (the ladder and the real runs),
// holding one forged size out to measure the error of predicting it, and store the profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/openDb';
import type { HardwareFacts } from '../hardware/detectHardware';
import type { PowerSource } from '../power/types';
import type { LoadedSuite } from '../suites/loadSuite';
import type { BenchmarkSettings, BenchmarkOutcome } from '../runner/runBenchmark';
import { countParameters, forgeLlamaModel } from '../forge/forgeLlamaModel';
import { ladderFileName, ladderShape } from './probeLadder';
import { inspectModelFile } from '../model/inspectModelFile';
import { InputError } from '../errors/WattbenchError';
import { collectProfilePoints, hardwareIdOfRun, PROBE_LABEL, storeMachineProfile } from '../records/machineProfiles';
import { fitWithHoldOut } from './fitProfile';
import type { MachineProfileFit } from '../domain/jsonColumns';

/** Parameter counts the ladder is drawn from (f16: two bytes each), a factor of two apart. */
const LADDER_PARAMETERS = [15e6, 30e6, 60e6, 120e6, 250e6, 500e6, 1e9, 2e9, 4e9];
/** Rungs benchmarked by default (--rungs): the largest that fit, a factor of eight from the smallest to the largest. */
export const LADDER_RUNGS = 4;
/** Default --max-bytes: 1 GB of f16 weights, a few minutes on a laptop. */
export const DEFAULT_PROBE_MAX_BYTES = 1e9;

/** The forge cache: WATTBENCH_FORGE_DIR, else $XDG_CACHE_HOME/wattbench/forge, else ~/.cache/wattbench/forge. */
export function forgeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WATTBENCH_FORGE_DIR) return path.resolve(env.WATTBENCH_FORGE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'wattbench', 'forge');
}

export interface LadderRung {
  targetParameters: number;
  parameters: number;
  /** f16 weights, ≈ the file's size. */
  bytes: number;
  file: string;
}

/**
 * The rungs for a byte budget (one family: lib/advise/probeLadder.ts): every ladder size whose f16 weights fit within `maxBytes`, a quarter of the free
 * memory and a quarter of the free disk, the largest `rungs` of them. Fewer than three is bad input.
 */
export function probeLadder(opts: { maxBytes: number; freeMemoryBytes: number; freeDiskBytes: number; dir: string; rungs?: number }): LadderRung[] {
  const limit = Math.min(opts.maxBytes, opts.freeMemoryBytes / 4, opts.freeDiskBytes / 4);
  const all = LADDER_PARAMETERS.map((target) => {
    const parameters = countParameters(ladderShape(target));
    return { targetParameters: target, parameters, bytes: 2 * parameters, file: path.join(opts.dir, ladderFileName(target)) };
  });
  const fitting = all.filter((r) => r.bytes <= limit);
  if (fitting.length < 3) {
    const smallest = all[2].bytes;
    throw new InputError(`the probe needs three model sizes, and only ${fitting.length} fit within ${Math.round(limit / 1e6)} MB (--max-bytes, a quarter of the free memory and of the free disk); pass --max-bytes ${Math.ceil(smallest / 1e6) * 1e6} or more, or free some memory or disk`);
  }
  return fitting.slice(-(opts.rungs ?? LADDER_RUNGS));
}

/** The rung held out of the fit: the second largest, so its prediction interpolates between measured sizes. */
export function heldOutRung(ladder: readonly LadderRung[]): LadderRung {
  return ladder[ladder.length - 2];
}

/** The forged file of a rung, written once: forged beside it and renamed, so a file present is complete. */
export function ensureForged(rung: LadderRung, onProgress?: (done: number, total: number) => void): { file: string; forged: boolean } {
  if (fs.existsSync(rung.file)) return { file: rung.file, forged: false };
  fs.mkdirSync(path.dirname(rung.file), { recursive: true });
  const partial = `${rung.file}.${process.pid}.partial`;
  try {
    forgeLlamaModel({ file: partial, shape: ladderShape(rung.targetParameters), type: 'f16', seed: 42, onProgress });
    fs.renameSync(partial, rung.file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return { file: rung.file, forged: true };
}

export interface ProbeProgress {
  onRung?(info: { index: number; total: number; rung: LadderRung; stage: 'forging' | 'cached' | 'benchmarking' | 'done'; runId?: number }): void;
  onForgeProgress?(done: number, total: number): void;
}

export interface ProbeOptions {
  db: Db;
  hardware: HardwareFacts;
  suite: LoadedSuite;
  /** One thread count for every rung (a calibration per size class would change it between rungs). */
  settings: Omit<BenchmarkSettings, 'label' | 'threads'> & { threads: number };
  ladder: LadderRung[];
  /** Fresh power sources for each run (a source is started and stopped by its run). */
  powerSources(): Promise<PowerSource[]>;
  runBenchmark(opts: Parameters<typeof import('../runner/runBenchmark').runBenchmark>[0]): Promise<BenchmarkOutcome>;
  signal?: AbortSignal;
  progress?: ProbeProgress;
}

export interface ProbeResult {
  profileId: number;
  runIds: number[];
  heldOutRunId: number;
  fit: MachineProfileFit;
  /** An interrupted run stops the probe: no profile is stored. */
  interrupted: BenchmarkOutcome | null;
}

export async function runProbe(opts: ProbeOptions): Promise<ProbeResult | { interrupted: BenchmarkOutcome }> {
  const runIds: number[] = [];
  let heldOutRunId = -1;
  const held = heldOutRung(opts.ladder);
  for (const [index, rung] of opts.ladder.entries()) {
    const base = { index, total: opts.ladder.length, rung };
    opts.progress?.onRung?.({ ...base, stage: fs.existsSync(rung.file) ? 'cached' : 'forging' });
    const { file } = ensureForged(rung, opts.progress?.onForgeProgress);
    const { facts } = await inspectModelFile(file);
    opts.progress?.onRung?.({ ...base, stage: 'benchmarking' });
    const outcome = await opts.runBenchmark({
      db: opts.db,
      modelSpec: file,
      modelPath: file,
      modelFacts: facts,
      suite: opts.suite,
      settings: { ...opts.settings, label: PROBE_LABEL },
      hardware: opts.hardware,
      powerSources: await opts.powerSources(),
      signal: opts.signal,
    });
    if (outcome.status !== 'completed') return { interrupted: outcome };
    runIds.push(outcome.runId);
    if (rung === held) heldOutRunId = outcome.runId;
    opts.progress?.onRung?.({ ...base, stage: 'done', runId: outcome.runId });
  }
  const hardwareId = hardwareIdOfRun(opts.db, runIds[0]);
  const points = collectProfilePoints(opts.db, hardwareId, { threads: opts.settings.threads });
  const fit = { ...fitWithHoldOut(points, heldOutRunId), threads: opts.settings.threads };
  const profileId = storeMachineProfile(opts.db, hardwareId, fit);
  return { profileId, runIds, heldOutRunId, fit, interrupted: null };
}
