// Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013): keeps a series' visual shape in few points.

export interface Point {
  x: number;
  y: number;
}

/**
 * Reduces `points` (sorted by x) to at most `threshold` points, always keeping the first and the last.
 * Returns the input (copied) when it is already small enough; a threshold below 3 keeps the two ends.
 */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  const n = points.length;
  if (threshold >= n || n <= 2) return points.slice();
  if (threshold < 3) return threshold <= 0 ? [] : threshold === 1 ? [points[0]] : [points[0], points[n - 1]];

  const out: Point[] = [points[0]];
  // Buckets between the fixed first and last points.
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    const nextLen = nextEnd - nextStart;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += points[j].x;
      avgY += points[j].y;
    }
    avgX /= nextLen;
    avgY /= nextLen;

    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ax = points[a].x;
    const ay = points[a].y;
    let maxArea = -1;
    let chosen = start;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (points[j].y - ay) - (ax - points[j].x) * (avgY - ay));
      if (area > maxArea) {
        maxArea = area;
        chosen = j;
      }
    }
    out.push(points[chosen]);
    a = chosen;
  }
  out.push(points[n - 1]);
  return out;
}
