// The model files a workshop serves to its participants (the `workshops.models` JSON column).
import { z } from 'zod';

export const workshopModelSchema = z.object({
  fileName: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  /** The file on the leader's disk (never sent to participants). */
  path: z.string().min(1),
});
export const workshopModelsSchema = z.array(workshopModelSchema);
export type WorkshopModel = z.infer<typeof workshopModelSchema>;
