// Data-centre factors for an estimate: a provider's published figures, explicit values, or the unspecified default.
import { InputError } from '../errors/WattbenchError';
import { providers } from './footprintData';
import type { DataCentreFactors, Range, RangeInput } from './types';

export interface ProviderFactorOptions {
  /** Provider id from providers.json (case-insensitive), e.g. "openai". Excludes the three factors below. */
  provider?: string;
  /** Power usage effectiveness (≥ 1). Needs wueOnsite and wueOffsite too. */
  pue?: RangeInput;
  /** On-site water usage effectiveness, L/kWh. */
  wueOnsite?: RangeInput;
  /** Off-site water intensity of electricity, L/kWh. */
  wueOffsite?: number;
  /** Data-centre grid carbon intensity, gCO2e/kWh; overrides the provider's location. */
  gridGPerKwh?: number;
}

export const KNOWN_PROVIDER_IDS: readonly string[] = providers.providers.map((p) => p.id);

export function toRange(value: RangeInput): Range {
  return typeof value === 'number' ? { low: value, high: value } : value;
}

function zoneOf(zoneId: string) {
  const zone = providers.zones.find((z) => z.zone === zoneId);
  // The schema checks every provider's zone, so a miss is a bug in this module.
  if (!zone) throw new Error(`providers.json has no zone ${zoneId}`);
  return zone;
}

function zoneSource(sourceId: string): string {
  return providers.sources[sourceId]?.title ?? sourceId;
}

export function resolveProviderFactors(options: ProviderFactorOptions): DataCentreFactors {
  const explicit = options.pue !== undefined || options.wueOnsite !== undefined || options.wueOffsite !== undefined;
  if (options.provider !== undefined && explicit) {
    throw new InputError('--provider sets PUE and WUE itself: pass either --provider or --pue with --wue-onsite and --wue-offsite');
  }
  let factors: DataCentreFactors;
  if (options.provider !== undefined) {
    const wanted = options.provider.trim().toLowerCase();
    const provider = providers.providers.find((p) => p.id === wanted);
    if (!provider) {
      throw new InputError(`unknown provider "${options.provider}": use one of ${KNOWN_PROVIDER_IDS.join(', ')}`);
    }
    const zone = zoneOf(provider.zone);
    factors = {
      providerId: provider.id,
      providerName: `${provider.name} (${provider.cloud})`,
      pue: provider.pue,
      wueOnsiteLPerKwh: provider.wueOnsiteLPerKwh,
      wueOffsiteLPerKwh: zone.wueOffsiteLPerKwh,
      gridGCo2ePerKwh: zone.gCo2ePerKwh,
      gridLabel: `${zone.name} (${zone.zone}), EcoLogits electricity mix`,
      source: `${zoneSource(provider.source)}; grid and off-site water: ${zoneSource(zone.source)}`,
    };
  } else if (explicit) {
    if (options.pue === undefined || options.wueOnsite === undefined || options.wueOffsite === undefined) {
      throw new InputError('pass --pue, --wue-onsite and --wue-offsite together (or --provider NAME)');
    }
    const zone = zoneOf(providers.unspecified.zone);
    factors = {
      providerId: 'custom',
      providerName: 'custom data centre',
      pue: toRange(options.pue),
      wueOnsiteLPerKwh: toRange(options.wueOnsite),
      wueOffsiteLPerKwh: options.wueOffsite,
      gridGCo2ePerKwh: zone.gCo2ePerKwh,
      gridLabel: `${zone.name} (${zone.zone}), EcoLogits electricity mix`,
      source: 'PUE and WUE as given on the command line',
    };
  } else {
    // No provider: span the providers' published PUE and WUE; the location is unknown, so the world mix.
    const zone = zoneOf(providers.unspecified.zone);
    const all = providers.providers;
    factors = {
      providerId: 'unspecified',
      providerName: 'unspecified provider',
      pue: { low: Math.min(...all.map((p) => p.pue.low)), high: Math.max(...all.map((p) => p.pue.high)) },
      wueOnsiteLPerKwh: {
        low: Math.min(...all.map((p) => p.wueOnsiteLPerKwh.low)),
        high: Math.max(...all.map((p) => p.wueOnsiteLPerKwh.high)),
      },
      wueOffsiteLPerKwh: zone.wueOffsiteLPerKwh,
      gridGCo2ePerKwh: zone.gCo2ePerKwh,
      gridLabel: `${zone.name} (${zone.zone}), EcoLogits electricity mix`,
      source: providers.unspecified.description,
    };
  }
  if (options.gridGPerKwh !== undefined) {
    factors = { ...factors, gridGCo2ePerKwh: options.gridGPerKwh, gridLabel: 'as given (--grid-g-per-kwh)' };
  }
  return factors;
}
