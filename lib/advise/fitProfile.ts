// The machine's profile from its runs: a straight line per phase, fitted by weighted least squares on the
// time per token, because that is what the hardware adds up.
// - Generation reads every weight once per token: s/token = a + bytes / bandwidth (lib/advise/modelCost.ts).
// - Prompt processing is compute: s/prompt-token = c + FLOPs per token / FLOP/s (2 per per-token weight).
// Residuals are relative (each point weighted by 1/y², times its own weight), so a 25M and a 1B model count
// alike instead of the slowest point dominating. Pure: no I/O.
import type { MachineProfileFit, ProfilePoint } from '../domain/jsonColumns';
import type { EnergyBasis } from '../domain/types';
import type { TokenCost } from './modelCost';

export interface WattsSource {
  source: string;
  boundary: string;
  method: string;
  estimateModel: string | null;
}

/** A point with the provenance of its watts (kept out of the stored point, gathered into the fit's label). */
export interface FitInput extends ProfilePoint {
  energySources: WattsSource[];
  energyBasis: EnergyBasis;
}

export interface LineFit {
  interceptS: number;
  slopeS: number;
  residualRel: number;
  points: number;
}

/**
 * y = intercept + slope · x by least squares with weights w/y² (relative residuals). A negative intercept (no
 * overhead can be negative) refits through the origin; a non-positive slope (the machine cannot get faster with
 * size) leaves slope at the smallest positive value the data allow, so predictions stay finite and monotonic.
 */
export function fitLine(xs: readonly number[], ys: readonly number[], ws: readonly number[]): LineFit {
  if (xs.length === 0) throw new Error('fitLine: no points');
  const w = ys.map((y, i) => ws[i] / (y * y));
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    sw += w[i];
    sx += w[i] * xs[i];
    sy += w[i] * ys[i];
    sxx += w[i] * xs[i] * xs[i];
    sxy += w[i] * xs[i] * ys[i];
  }
  const det = sw * sxx - sx * sx;
  let slope = det > 0 ? (sw * sxy - sx * sy) / det : 0;
  let intercept = det > 0 ? (sy - slope * sx) / sw : 0;
  if (!(det > 0) || intercept < 0) {
    // Through the origin: slope = Σ w x y / Σ w x².
    intercept = 0;
    slope = sxx > 0 ? sxy / sxx : 0;
  }
  if (!(slope > 0)) {
    // Flat or falling with size: keep the mean time as the intercept and a vanishing slope.
    intercept = sw > 0 ? sy / sw : ys[0];
    slope = Number.MIN_VALUE;
  }
  const rel = xs.map((x, i) => (intercept + slope * x - ys[i]) / ys[i]);
  const residualRel = Math.sqrt(rel.reduce((a, r) => a + r * r, 0) / rel.length);
  return { interceptS: intercept, slopeS: slope, residualRel, points: xs.length };
}

/** Generation and prompt speed predicted by a fit for a model of this cost per token. */
export function predictSpeed(fit: Pick<MachineProfileFit, 'generation' | 'prompt'>, cost: TokenCost): { genTokensPerSec: number; promptTokensPerSec: number } {
  return {
    genTokensPerSec: 1 / (fit.generation.interceptS + fit.generation.slopeS * cost.bytesPerToken),
    promptTokensPerSec: 1 / (fit.prompt.interceptS + fit.prompt.slopeS * cost.flopsPerPromptToken),
  };
}

function fitWatts(points: readonly FitInput[], pick: (p: FitInput) => number | null): MachineProfileFit['prefillWatts'] {
  const used = points.filter((p) => pick(p) !== null);
  if (used.length === 0) return null;
  const totalW = used.reduce((a, p) => a + p.weight, 0);
  const mean = used.reduce((a, p) => a + p.weight * pick(p)!, 0) / totalW;
  const sd = Math.sqrt(used.reduce((a, p) => a + p.weight * (pick(p)! - mean) ** 2, 0) / totalW);
  const sources = new Map<string, WattsSource>();
  for (const p of used) for (const s of p.energySources) sources.set(`${s.source}|${s.boundary}|${s.method}|${s.estimateModel}`, s);
  const bases = new Set(used.map((p) => p.energyBasis));
  const basis: EnergyBasis = bases.size === 1 ? [...bases][0] : bases.has('measured') && bases.has('estimate') ? 'mixed' : bases.has('mixed') ? 'mixed' : [...bases][0];
  return { meanW: mean, sdW: sd, points: used.length, sources: [...sources.values()], basis };
}

/** Fits generation, prompt and watts on `points` (at least one; two sizes for a slope). */
export function fitProfile(points: readonly FitInput[]): Omit<MachineProfileFit, 'heldOut'> {
  if (points.length === 0) throw new Error('fitProfile: no points');
  const ws = points.map((p) => p.weight);
  const gen = fitLine(points.map((p) => p.bytesPerToken), points.map((p) => 1 / p.genTokensPerSec), ws);
  const pp = fitLine(points.map((p) => p.flopsPerPromptToken), points.map((p) => 1 / p.promptTokensPerSec), ws);
  const bytes = points.map((p) => p.bytesPerToken);
  return {
    version: 1,
    generation: { ...gen, bandwidthBytesPerSec: 1 / gen.slopeS },
    prompt: { ...pp, flopsPerSec: 1 / pp.slopeS },
    prefillWatts: fitWatts(points, (p) => p.prefillW),
    decodeWatts: fitWatts(points, (p) => p.decodeW),
    bytesRange: [Math.min(...bytes), Math.max(...bytes)],
    points: points.map(({ energySources: _s, energyBasis: _b, ...p }) => p),
  };
}

/**
 * The honest fit: `heldOut` (one of the points) is left out, the rest fitted, and the held-out size predicted;
 * then the profile that is kept is refitted on every point, with the held-out error attached.
 */
export function fitWithHoldOut(points: readonly FitInput[], heldOutRunId: number | null): MachineProfileFit {
  const full = fitProfile(points);
  const held = heldOutRunId === null ? undefined : points.find((p) => p.runId === heldOutRunId);
  // Every run of the held-out model leaves the fit (an earlier probe of the same size would leak it back in).
  const rest = held ? points.filter((p) => p.modelId !== held.modelId) : [];
  if (!held || new Set(rest.map((p) => p.bytesPerToken)).size < 2) return { ...full, heldOut: null };
  const partial = fitProfile(rest);
  const predicted = predictSpeed(partial, held);
  return {
    ...full,
    heldOut: {
      runId: held.runId,
      modelLabel: held.modelLabel,
      modelBytes: held.modelBytes,
      genError: Math.abs(predicted.genTokensPerSec - held.genTokensPerSec) / held.genTokensPerSec,
      promptError: Math.abs(predicted.promptTokensPerSec - held.promptTokensPerSec) / held.promptTokensPerSec,
      predictedGenTokensPerSec: predicted.genTokensPerSec,
      measuredGenTokensPerSec: held.genTokensPerSec,
      predictedPromptTokensPerSec: predicted.promptTokensPerSec,
      measuredPromptTokensPerSec: held.promptTokensPerSec,
    },
  };
}
