// Min/max downsampling for line charts: per time bucket, the lowest and the highest point, in time order.
// Unlike LTTB (which picks one point a bucket by triangle area), every peak and every dip of the input is
// drawn at its true value: a 0.3 s power spike in a 3-hour run stays on the chart.

export interface Point {
  x: number;
  y: number;
}

/** Collects one series point by point and gives it back downsampled. */
export interface SeriesSink {
  add(x: number, y: number): void;
  points(): Point[];
}

/**
 * A sink for a series whose x runs from `from` to `to`: it keeps every point when `expected` (the most points
 * the series can get) is within `maxPoints`, else floor(maxPoints / 2) buckets of equal time span, each drawn
 * as its minimum and its maximum (one point when they coincide). Points must be added in x order.
 */
export function minMaxSink(from: number, to: number, expected: number, maxPoints: number): SeriesSink {
  if (expected <= maxPoints) return allPoints();
  return new MinMaxBuckets(from, to, Math.max(1, Math.floor(maxPoints / 2)));
}

function allPoints(): SeriesSink {
  const out: Point[] = [];
  return { add: (x, y) => void out.push({ x, y }), points: () => out };
}

class MinMaxBuckets implements SeriesSink {
  private readonly minX: Float64Array;
  private readonly minY: Float64Array;
  private readonly maxX: Float64Array;
  private readonly maxY: Float64Array;
  private readonly filled: Uint8Array;
  private readonly scale: number;

  constructor(
    private readonly from: number,
    to: number,
    private readonly buckets: number,
  ) {
    this.minX = new Float64Array(buckets);
    this.minY = new Float64Array(buckets);
    this.maxX = new Float64Array(buckets);
    this.maxY = new Float64Array(buckets);
    this.filled = new Uint8Array(buckets);
    this.scale = to > from ? buckets / (to - from) : 0;
  }

  add(x: number, y: number): void {
    const b = Math.min(this.buckets - 1, Math.max(0, Math.floor((x - this.from) * this.scale)));
    if (!this.filled[b]) {
      this.filled[b] = 1;
      this.minX[b] = this.maxX[b] = x;
      this.minY[b] = this.maxY[b] = y;
      return;
    }
    // Strict comparisons: on ties the earliest point stands.
    if (y < this.minY[b]) {
      this.minY[b] = y;
      this.minX[b] = x;
    }
    if (y > this.maxY[b]) {
      this.maxY[b] = y;
      this.maxX[b] = x;
    }
  }

  points(): Point[] {
    const out: Point[] = [];
    for (let b = 0; b < this.buckets; b++) {
      if (!this.filled[b]) continue;
      const lo = { x: this.minX[b], y: this.minY[b] };
      const hi = { x: this.maxX[b], y: this.maxY[b] };
      if (lo.x === hi.x && lo.y === hi.y) out.push(lo);
      else if (lo.x <= hi.x) out.push(lo, hi);
      else out.push(hi, lo);
    }
    return out;
  }
}
