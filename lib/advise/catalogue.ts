// The catalogue of popular open models (catalogue.json, every file with its source) as advisor candidates.
import { z } from 'zod';
import catalogueJson from './catalogue.json';
import type { Candidate } from './advise';

const catalogueSchema = z.object({
  description: z.string(),
  models: z.array(
    z.object({
      id: z.string(),
      family: z.string(),
      name: z.string(),
      parameters: z.number().positive(),
      layers: z.number().int().positive(),
      kvDim: z.number().int().positive(),
      vocab: z.number().int().positive(),
      embd: z.number().int().positive(),
      tiedEmbeddings: z.boolean(),
      configSource: z.url(),
      files: z.array(z.object({ quant: z.string(), sizeBytes: z.number().positive(), source: z.url() })).min(1),
    }),
  ),
});

/** One candidate per catalogued file (a model × a quantisation). */
export function catalogueCandidates(): Candidate[] {
  const catalogue = catalogueSchema.parse(catalogueJson);
  return catalogue.models.flatMap((m) =>
    m.files.map((f) => ({
      id: `${m.id}:${f.quant.toLowerCase()}`,
      name: m.name,
      quant: f.quant,
      sizeBytes: f.sizeBytes,
      parameters: m.parameters,
      layers: m.layers,
      kvDim: m.kvDim,
      embedding: { vocab: m.vocab, embd: m.embd, tied: m.tiedEmbeddings },
      origin: 'catalogue' as const,
      source: f.source,
    })),
  );
}
