// How much of an estimated energy figure does not depend on the workload: the RAM term (a fixed guess per
// DIMM) and the CPU model's idle floor, both paid for every second whatever the model does. When they
// dominate, comparing two models under the estimate mostly compares their running times.

/** Above this share, the figure carries a note saying so (issue 12 item 7). */
export const CONSTANT_SHARE_THRESHOLD = 0.5;

/** One stored energy figure (an `energy` row, whole run), as every view has it. */
export interface ConstantShareRow {
  source: string;
  boundary: string;
  method: string;
  joules: number;
  /** Mean power over the measured windows, watts; with joules it gives the time the figure covers. */
  meanW: number | null;
  /** The source's mean power while the machine idled before the run, watts (null: no idle phase). */
  idleW: number | null;
  /** The estimate's model (energy.estimate_model), whose label carries the idle floor. */
  estimateModel: string | null;
  countsTowardTotal?: boolean | null;
}

export interface ConstantShare {
  /** Workload-independent joules over all counted joules, 0–1. */
  share: number;
  constantJ: number;
  totalJ: number;
  /** False when a CPU estimate's idle floor could not be read: the share counts the RAM term only, a lower bound. */
  exact: boolean;
  /** share > CONSTANT_SHARE_THRESHOLD. */
  dominant: boolean;
}

const num = (s: string | undefined) => (s === undefined ? null : Number(s));

/**
 * The CPU model's idle floor, watts, read back from its label as `resolveEstimateModel` writes it
 * ("CodeCarbon CPU-load model (TDP 270 W × 4/80 threads = 13.5 W)", "… idle 5 W from --idle-watts"):
 * --idle-watts when given, else CodeCarbon's 10 % of the TDP actually used (after VM scaling). Null when
 * the label is not one of ours.
 */
export function idleFloorFromModelLabel(label: string | null): number | null {
  if (!label || !label.startsWith('CodeCarbon CPU-load model')) return null;
  const idle = num(label.match(/idle ([\d.]+) W from --idle-watts/)?.[1]);
  if (idle !== null) return idle;
  // The TDP used is the result of a scaling ("= 13.5 W") when there is one, else the first "TDP … W".
  const tdp = num(label.match(/= ([\d.]+) W/)?.[1]) ?? num(label.match(/TDP ([\d.]+) W/)?.[1]);
  return tdp === null || !Number.isFinite(tdp) ? null : 0.1 * tdp;
}

/** Null when no counted figure is an estimate (a measurement has no constant term to flag). */
export function estimateConstantShare(rows: readonly ConstantShareRow[]): ConstantShare | null {
  const counted = rows.filter((r) => r.countsTowardTotal !== false);
  const modelled = counted.filter((r) => r.method === 'modelled');
  const totalJ = counted.reduce((s, r) => s + r.joules, 0);
  if (modelled.length === 0 || !(totalJ > 0)) return null;
  let constantJ = 0;
  let exact = true;
  for (const r of modelled) {
    if (r.boundary === 'dram') {
      constantJ += r.joules; // the RAM model is a constant power
      continue;
    }
    const floorW = idleFloorFromModelLabel(r.estimateModel) ?? r.idleW;
    if (floorW === null || r.meanW === null || !(r.meanW > 0)) {
      exact = false;
      continue;
    }
    const seconds = r.joules / r.meanW;
    constantJ += Math.min(r.joules, floorW * seconds);
  }
  const share = constantJ / totalJ;
  return { share, constantJ, totalJ, exact, dominant: share > CONSTANT_SHARE_THRESHOLD };
}
