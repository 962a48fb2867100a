// The Pareto frontier of speed (higher is better) against energy per token (lower is better).

export interface TradeOff {
  /** Higher is better, e.g. generation tokens/s. */
  x: number;
  /** Lower is better, e.g. joules per token. */
  y: number;
}

/** True when `a` is at least as good as `b` on both axes and better on one. */
export function dominates(a: TradeOff, b: TradeOff): boolean {
  return a.x >= b.x && a.y <= b.y && (a.x > b.x || a.y < b.y);
}

/** The points no other point dominates, sorted by x ascending (ready to draw as a line). */
export function paretoFrontier<P extends TradeOff>(points: readonly P[]): P[] {
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const byXDesc = [...finite].sort((a, b) => b.x - a.x || a.y - b.y);
  const frontier: P[] = [];
  let bestY = Infinity;
  for (const p of byXDesc) {
    if (p.y < bestY) {
      frontier.push(p);
      bestY = p.y;
    }
  }
  return frontier.reverse();
}
