// What each candidate model would do on this machine, from its profile, and the ranking for a goal. Pure: the
// candidates, the memory budget and the profile come in, nothing is read or printed here.
import type { EnergyBasis } from '../domain/types';
import type { MachineProfileFit } from '../domain/jsonColumns';
import { predictSpeed } from './fitProfile';
import { tokenCost, type EmbeddingShape } from './modelCost';

export interface Candidate {
  /** Stable id: "llama-3.2-1b-instruct:q4_k_m", or "db:<sha256 prefix>" for a model of the database. */
  id: string;
  name: string;
  quant: string | null;
  sizeBytes: number;
  parameters: number;
  /** For the KV cache at the default context; null when unknown (then estimated from the size). */
  layers: number | null;
  kvDim: number | null;
  /** Vocabulary × width and whether input and output share it (null: unknown, every weight counts). */
  embedding: EmbeddingShape | null;
  origin: 'catalogue' | 'database' | 'disk';
  /** Where the figures come from: a URL, "benchmarked in this database", or the file on this disk. */
  source: string;
  /** A model on this disk: the store it was found in ("LM Studio", "Ollama"…) and its file, for pages to label. */
  disk?: { storeLabel: string; path: string };
}

export type Goal = 'speed' | 'energy' | 'largest';
export const GOALS: readonly Goal[] = ['speed', 'energy', 'largest'];

/** Reading speed: "largest" picks the largest model that generates at least this fast. */
export const READING_TOKENS_PER_SEC = 10;
/** The context the advice assumes: wattbench run's default for chat prompts (the smallest, 2,048 tokens). */
export const DEFAULT_CONTEXT_TOKENS = 2048;
/** llama.cpp's compute buffers and the process around the weights and the KV cache (rounded up from runs' RSS). */
export const RUNTIME_OVERHEAD_BYTES = 300e6;
/** Prompt of the time-to-first-token prediction. */
export const TTFT_PROMPT_TOKENS = 1000;

export interface MemoryBudget {
  /** Memory available now (MemAvailable), bytes. */
  ramBytes: number;
  /** The largest GPU's memory, bytes (null: no GPU or unknown). */
  vramBytes: number | null;
}

/** A prediction and its band: value × (1 ± bandRel). */
export interface Banded {
  value: number;
  low: number;
  high: number;
  bandRel: number;
}

export interface Advice {
  candidate: Candidate;
  /** Weights + KV cache (f16) at the default context + runtime overhead. */
  needBytes: number;
  fitsRam: boolean;
  fitsVram: boolean | null;
  fits: boolean;
  /** Outside the sizes the profile was fitted on: the band is widened. */
  extrapolated: boolean;
  genTokensPerSec: Banded;
  ttftMs: Banded;
  /** Joules per 1,000 output tokens from the decode power (null: the profile has no energy). */
  joulesPer1000Tokens: Banded | null;
  /** What those joules measure: the profile's decode-power basis and sources. */
  energy: { basis: EnergyBasis; sources: NonNullable<MachineProfileFit['decodeWatts']>['sources'] } | null;
}

/** KV cache bytes at `context` (keys and values, f16); without the shape, a tenth of the weights. */
export function kvCacheBytes(c: Pick<Candidate, 'layers' | 'kvDim' | 'sizeBytes'>, context: number = DEFAULT_CONTEXT_TOKENS): number {
  return c.layers !== null && c.kvDim !== null ? 2 * c.layers * c.kvDim * context * 2 : 0.1 * c.sizeBytes;
}

function banded(value: number, bandRel: number): Banded {
  return { value, low: value * Math.max(0, 1 - bandRel), high: value * (1 + bandRel), bandRel };
}

/**
 * The relative band of a prediction: the held-out error and the fit's residuals combined in quadrature, widened
 * by half the number of doublings beyond the largest size fitted (extrapolating is less certain than interpolating).
 */
export function bandFor(heldOutError: number | null, residualRel: number, bytes: number, maxFittedBytes: number): number {
  const base = Math.hypot(heldOutError ?? residualRel, residualRel);
  const doublings = bytes > maxFittedBytes ? Math.log2(bytes / maxFittedBytes) : 0;
  return base * (1 + 0.5 * doublings);
}

export function adviseOne(candidate: Candidate, fit: MachineProfileFit, budget: MemoryBudget): Advice {
  const needBytes = candidate.sizeBytes + kvCacheBytes(candidate) + RUNTIME_OVERHEAD_BYTES;
  const fitsRam = needBytes <= budget.ramBytes;
  const fitsVram = budget.vramBytes === null ? null : needBytes <= budget.vramBytes;
  const cost = tokenCost(candidate.sizeBytes, candidate.parameters, candidate.embedding);
  const speed = predictSpeed(fit, cost);
  const maxBytes = fit.bytesRange[1];
  const genBand = bandFor(fit.heldOut?.genError ?? null, fit.generation.residualRel, cost.bytesPerToken, maxBytes);
  const promptBand = bandFor(fit.heldOut?.promptError ?? null, fit.prompt.residualRel, cost.bytesPerToken, maxBytes);
  const gen = banded(speed.genTokensPerSec, genBand);
  const ttft = banded((TTFT_PROMPT_TOKENS / speed.promptTokensPerSec) * 1000, promptBand);
  const watts = fit.decodeWatts;
  const joules = watts ? banded((watts.meanW * 1000) / speed.genTokensPerSec, Math.hypot(genBand, watts.meanW > 0 ? watts.sdW / watts.meanW : 0)) : null;
  return {
    candidate,
    needBytes,
    fitsRam,
    fitsVram,
    fits: fitsRam || fitsVram === true,
    extrapolated: cost.bytesPerToken > maxBytes || cost.bytesPerToken < fit.bytesRange[0],
    genTokensPerSec: gen,
    ttftMs: ttft,
    joulesPer1000Tokens: joules,
    energy: watts ? { basis: watts.basis, sources: watts.sources } : null,
  };
}

function compareForGoal(goal: Goal): (a: Advice, b: Advice) => number {
  const bySpeed = (a: Advice, b: Advice) => b.genTokensPerSec.value - a.genTokensPerSec.value;
  if (goal === 'speed') return bySpeed;
  if (goal === 'energy') {
    return (a, b) => {
      const ja = a.joulesPer1000Tokens?.value ?? Infinity;
      const jb = b.joulesPer1000Tokens?.value ?? Infinity;
      return ja !== jb ? ja - jb : bySpeed(a, b);
    };
  }
  // largest: those at reading speed first, largest first; the slower ones after, fastest first.
  return (a, b) => {
    const ra = a.genTokensPerSec.value >= READING_TOKENS_PER_SEC;
    const rb = b.genTokensPerSec.value >= READING_TOKENS_PER_SEC;
    if (ra !== rb) return ra ? -1 : 1;
    if (ra) return b.candidate.parameters - a.candidate.parameters || b.candidate.sizeBytes - a.candidate.sizeBytes;
    return bySpeed(a, b);
  };
}

/** Every candidate, those that fit first, ordered for the goal; ties by id, so the order is deterministic. */
export function rankAdvice(advice: readonly Advice[], goal: Goal): Advice[] {
  const byGoal = compareForGoal(goal);
  return [...advice].sort((a, b) => (a.fits !== b.fits ? (a.fits ? -1 : 1) : byGoal(a, b) || a.candidate.id.localeCompare(b.candidate.id)));
}

/** The recommendation: the first ranked candidate that fits (for "largest", one at reading speed), or null. */
export function pickFor(ranked: readonly Advice[], goal: Goal): Advice | null {
  return ranked.find((a) => a.fits && (goal !== 'largest' || a.genTokensPerSec.value >= READING_TOKENS_PER_SEC)) ?? null;
}

export function advise(candidates: readonly Candidate[], fit: MachineProfileFit, budget: MemoryBudget, goal: Goal): { ranked: Advice[]; pick: Advice | null } {
  const ranked = rankAdvice(candidates.map((c) => adviseOne(c, fit, budget)), goal);
  return { ranked, pick: pickFor(ranked, goal) };
}
