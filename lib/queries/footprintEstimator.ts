// The one place where the dashboard meets the footprint estimator (lib/footprint): maps the page's
// inputs to compareLocalToCloud and its answer to the plain data the Footprint page draws.
import { compareLocalToCloud } from '../footprint/compareLocalToCloud';
import { localEnergyInput, localModelInfo } from '../records/getRunFootprintInput';
import { gridIntensity } from '../footprint/footprintData';
import { WORLD_CODE } from '../footprint/resolveCountry';
import type { FootprintComparison, FootprintEstimator, FootprintInput } from './footprintTypes';

function compare(input: FootprintInput): FootprintComparison {
  const c = compareLocalToCloud({
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    local: input.local ? localEnergyInput(input.local) : null,
    localModel: localModelInfo(input.model),
    country: input.country ?? undefined,
    // The page's country choice, not the server's environment, decides; absent: world average.
    env: {},
  });
  return {
    country: { code: c.grid.code, name: c.grid.name, gPerKwh: c.grid.gCo2ePerKwh, year: c.grid.year, source: c.grid.source, isDefault: c.grid.isDefault },
    local:
      c.local.energyWh === null || !input.local
        ? null
        : {
            wh: c.local.energyWh,
            gco2e: c.local.gco2eLocalGrid ?? 0,
            source: c.local.source ?? '',
            boundary: c.local.boundary ?? '',
            method: c.local.energyMethod ?? '',
            label: c.local.label,
            // The basis given above, which compareLocalToCloud keeps (it derives one only when none is given).
            basis: input.local.basis,
            window: c.local.window,
            constantNote: c.local.constantNote,
          },
    cloud: c.cloud.flatMap((row) =>
      row.estimate && row.gco2eLocalGrid
        ? [
            {
              key: row.role,
              label: row.title,
              model: row.model.name,
              provider: row.estimate.factors.providerName,
              energyWh: row.estimate.energyWh,
              gco2eProviderGrid: row.estimate.gco2e,
              gco2eLocalGrid: row.gco2eLocalGrid,
              waterMl: row.estimate.waterMl,
              fitWarning: row.fitWarning ?? null,
              fitRange: row.fitRange ?? null,
            },
          ]
        : [],
    ),
    published: c.published.map((p) => ({
      who: p.publisher,
      claim: `${p.title} (${p.unitOfWork})`,
      wh: p.quantities.energyWh,
      gco2e: p.quantities.gco2e,
      waterMl: p.quantities.waterMl,
      boundary: p.boundary,
      source: p.url,
      date: p.dateLabel,
    })),
    method: { name: c.method.name, version: c.method.version },
  };
}

export const footprintEstimator: FootprintEstimator | null = {
  compare,
  countries: () => {
    const all = gridIntensity.countries.map((c) => ({ code: c.code, name: c.name }));
    return [...all.filter((c) => c.code === WORLD_CODE), ...all.filter((c) => c.code !== WORLD_CODE).sort((a, b) => a.name.localeCompare(b.name))];
  },
};
