// What one token costs a model, the regressors of the profile: bytes read per generated token, and FLOPs per
// prompt token. Embedding matrices are the exception to "every weight once per token": the input embedding is
// a lookup (one row read, no FLOPs), and llama.cpp computes the output matrix for the last prompt token only.
// Without the shape (a model known only by size and parameters), every weight counts.

export interface EmbeddingShape {
  vocab: number;
  embd: number;
  /** One matrix serves as input embedding and output (Llama 3.2, Qwen 2.5 small, Gemma). */
  tied: boolean;
}

export interface TokenCost {
  /** Bytes of weights read per generated token. */
  bytesPerToken: number;
  /** FLOPs per prompt token: 2 per weight of the per-token matrix products. */
  flopsPerPromptToken: number;
}

export function tokenCost(sizeBytes: number, parameters: number, shape: EmbeddingShape | null): TokenCost {
  if (!shape) return { bytesPerToken: sizeBytes, flopsPerPromptToken: 2 * parameters };
  const embedding = shape.vocab * shape.embd;
  // An untied input embedding is never read whole: take its share of the file away (at the file's mean bytes per weight).
  const bytesPerToken = shape.tied ? sizeBytes : sizeBytes - embedding * (sizeBytes / parameters);
  const perTokenParameters = parameters - embedding * (shape.tied ? 1 : 2);
  return { bytesPerToken: Math.max(bytesPerToken, sizeBytes * 0.05), flopsPerPromptToken: 2 * Math.max(perTokenParameters, parameters * 0.05) };
}
