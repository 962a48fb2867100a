// The models already on this machine's disk (`lib/model/discoverModels`: ./models, Ollama, LM Studio, the
// Hugging Face cache…) as candidates for the advice: a model whose size and parameters its header gives.
import type { DiscoveredModel } from '../model/discoverModels';
import type { Candidate } from './advise';

export function diskCandidates(models: readonly DiscoveredModel[]): Candidate[] {
  return models.flatMap((m) =>
    m.status === 'ok' && m.parameters !== null && m.sizeBytes !== null && m.parameters > 0
      ? [
          {
            id: `disk:${m.store}:${m.path}`,
            name: m.name,
            quant: m.quantization,
            sizeBytes: m.sizeBytes,
            parameters: m.parameters,
            layers: null,
            kvDim: null,
            embedding: null,
            origin: 'disk' as const,
            source: `on this disk (${m.storeLabel}): ${m.path}`,
            disk: { storeLabel: m.storeLabel, path: m.path },
          },
        ]
      : [],
  );
}
