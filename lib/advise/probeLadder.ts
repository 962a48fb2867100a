// The probe's forged models: one family, every rung PROBE_LAYERS deep and only its width scaled. The profile's
// generation line has no per-layer term (a model known by size alone, as most candidates are, has no depth to
// put in it), so the ladder keeps the per-layer cost (one pass of kernels and thread barriers per layer) equal on
// every rung: it lands in the intercept, and the slope is the bytes' alone. The old ladder (the forge's
// "realistic" shapes, 10 to 24 layers at random along the sizes) let that cost leak into the slope.
import { countParameters, formatParameters, parseParameterCount, shapeOfWidth, type LlamaShape } from '../forge/forgeLlamaModel';
import type { EmbeddingShape } from './modelCost';

/** Depth of every rung: the most common depth of the catalogue's models (Qwen 2.5/3 1.5–7B, Llama 3.2 3B: 28). */
export const PROBE_LAYERS = 28;
/** Widths in whole 64-wide heads. */
const WIDTH_STEP = 64;

/** One rung's shape: 64-wide heads, every head its own KV head (the forge's grouped-KV default turns a prime head count into one KV head, another unevenness), SwiGLU feed-forward of ≈ 8/3 · width. */
function rungShape(embd: number, layers: number): LlamaShape {
  const shape = shapeOfWidth(embd, layers);
  return { ...shape, kvHeads: shape.heads };
}

/** The rung for a parameter count: PROBE_LAYERS deep, the 64-multiple width whose count is nearest the target. */
export function ladderShape(target: number, layers: number = PROBE_LAYERS): LlamaShape {
  let best = rungShape(WIDTH_STEP, layers);
  for (let embd = 2 * WIDTH_STEP; embd <= 16_384; embd += WIDTH_STEP) {
    const shape = rungShape(embd, layers);
    if (Math.abs(countParameters(shape) - target) < Math.abs(countParameters(best) - target)) best = shape;
    if (countParameters(shape) > target) break;
  }
  return best;
}

/** The rung's file name: its size and depth, so a cached file of another family is never taken for it. */
export function ladderFileName(target: number, layers: number = PROBE_LAYERS): string {
  return `probe-${formatParameters(target)}-L${layers}-f16.gguf`;
}

const LADDER_FILE = /^probe-(\d+(?:\.\d+)?[KMB])-L(\d+)-f16\.gguf$/;

/** The embedding shape of a rung's file, from its name (null: not a rung's name). */
export function ladderEmbeddingShape(fileName: string): EmbeddingShape | null {
  const m = LADDER_FILE.exec(fileName);
  const target = m ? parseParameterCount(m[1]) : null;
  if (!m || target === null) return null;
  const shape = ladderShape(target, Number(m[2]));
  return { vocab: shape.vocab, embd: shape.embd, tied: false };
}
