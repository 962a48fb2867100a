// Estimates the energy, carbon and water of LLM requests served in a data centre, with EcoLogits 0.9.1.
import { InputError } from '../errors/WattbenchError';
import { ECOLOGITS_0_9_1, ECOLOGITS_METHOD, evaluateEcoLogits, type EcoLogitsPointResult } from './ecologits';
import { resolveProviderFactors, toRange } from './resolveProviderFactors';
import type { DataCentreFactors, Range, RangeInput, RequestImpactEstimate } from './types';

export interface EstimateRequestImpactOptions {
  /** Active parameters in billions (B); a range for closed models. For a dense model, all its parameters. */
  activeParamsB: RangeInput;
  /** Total parameters in billions (B); decides the GPU count. */
  totalParamsB: RangeInput;
  /** Generated tokens. The energy is linear in them, so the sum over several requests gives their total. */
  outputTokens: number;
  /** Prompt tokens: recorded only, EcoLogits 0.9.1 does not use them. */
  inputTokens?: number;
  /** Provider id from providers.json (e.g. "openai"): its PUE, WUE and data-centre location. */
  provider?: string;
  /** Power usage effectiveness; with wueOnsite and wueOffsite instead of a provider. */
  pue?: RangeInput;
  /** On-site water usage effectiveness, L/kWh. */
  wueOnsite?: RangeInput;
  /** Off-site water intensity of the electricity, L/kWh. */
  wueOffsite?: number;
  /** Data-centre grid carbon intensity, gCO2e/kWh. Defaults to the provider location's, or the world mix. */
  gridGPerKwh?: number;
  /** Measured request latency, seconds: caps the generation time. Defaults to no cap. */
  requestLatencyS?: number;
}

function checkCount(value: number | undefined, name: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0) throw new InputError(`${name} must be a whole number of tokens, 0 or more (got ${value})`);
}

/** Rejects a bound that fails `isValid`, and a low bound above the high one. */
function checkRange(range: Range, name: string, requirement: string, isValid: (v: number) => boolean): void {
  for (const v of [range.low, range.high]) {
    if (!Number.isFinite(v) || !isValid(v)) throw new InputError(`${name} must be ${requirement} (got ${v})`);
  }
  if (range.low > range.high) throw new InputError(`${name}: the low bound ${range.low} is above the high bound ${range.high}`);
}

function span(results: [EcoLogitsPointResult, EcoLogitsPointResult], key: keyof EcoLogitsPointResult): Range {
  return { low: results[0][key], high: results[1][key] };
}

function formatB(r: Range): string {
  return r.low === r.high ? `${r.low} B` : `${r.low}–${r.high} B`;
}

/**
 * Evaluates EcoLogits 0.9.1 at the low and the high end of every uncertain input (parameters, PUE, WUE):
 * each formula grows with each of them, so the two ends bound the estimate.
 */
export function estimateRequestImpact(options: EstimateRequestImpactOptions): RequestImpactEstimate {
  const active = toRange(options.activeParamsB);
  const total = toRange(options.totalParamsB);
  checkRange(active, 'active parameters', 'above 0 billion', (v) => v > 0);
  checkRange(total, 'total parameters', 'above 0 billion', (v) => v > 0);
  if (active.low > total.low || active.high > total.high) {
    throw new InputError(`active parameters (${formatB(active)}) cannot exceed total parameters (${formatB(total)})`);
  }
  checkCount(options.outputTokens, 'output tokens');
  checkCount(options.inputTokens, 'input tokens');
  if (options.requestLatencyS !== undefined && !(options.requestLatencyS > 0)) {
    throw new InputError(`request latency must be above 0 s (got ${options.requestLatencyS})`);
  }
  if (options.pue !== undefined) checkRange(toRange(options.pue), 'PUE', 'at least 1', (v) => v >= 1);
  if (options.wueOnsite !== undefined) checkRange(toRange(options.wueOnsite), 'on-site WUE', '0 or more L/kWh', (v) => v >= 0);
  if (options.wueOffsite !== undefined && !(options.wueOffsite >= 0)) {
    throw new InputError(`off-site WUE must be 0 or more L/kWh (got ${options.wueOffsite})`);
  }
  if (options.gridGPerKwh !== undefined && !(options.gridGPerKwh >= 0 && Number.isFinite(options.gridGPerKwh))) {
    throw new InputError(`grid carbon intensity must be 0 or more gCO2e/kWh (got ${options.gridGPerKwh})`);
  }

  const factors: DataCentreFactors = resolveProviderFactors(options);
  const at = (end: 'low' | 'high') =>
    evaluateEcoLogits({
      activeParamsB: active[end],
      totalParamsB: total[end],
      outputTokens: options.outputTokens,
      requestLatencyS: options.requestLatencyS,
      pue: factors.pue[end],
      wueOnsiteLPerKwh: factors.wueOnsiteLPerKwh[end],
      wueOffsiteLPerKwh: factors.wueOffsiteLPerKwh,
      gridGCo2ePerKwh: factors.gridGCo2ePerKwh,
    });
  const results: [EcoLogitsPointResult, EcoLogitsPointResult] = [at('low'), at('high')];

  const C = ECOLOGITS_0_9_1;
  const assumptions = [
    `batch size ${C.batchSize}: the server and GPUs are shared by ${C.batchSize} concurrent requests`,
    `weights in ${C.quantizationBits} bits on NVIDIA H100 80 GB GPUs, ${C.memoryOverhead}× memory overhead, GPU count rounded up to a power of two`,
    `server besides its GPUs draws ${C.serverPowerW / 1000} kW per ${C.serverGpus} GPUs; embodied ${C.serverEmbodiedKgCo2e} kgCO2e per server and ${C.gpuEmbodiedKgCo2e} kgCO2e per GPU over ${C.hardwareLifetimeS / (365 * 24 * 3600)} years`,
    `data centre: ${factors.providerName}; grid ${factors.gridLabel}`,
    'water: on-site cooling plus off-site electricity generation, applied to the energy including PUE (as EcoLogits 0.9.1 does)',
  ];
  if (options.inputTokens !== undefined) {
    assumptions.push(`${options.inputTokens} input tokens recorded but not counted: EcoLogits 0.9.1 estimates from output tokens only`);
  }
  if (options.requestLatencyS !== undefined) {
    assumptions.push(`generation time capped at the measured request latency, ${options.requestLatencyS} s`);
  }

  return {
    method: ECOLOGITS_METHOD,
    kind: 'estimate',
    activeParamsB: active,
    totalParamsB: total,
    outputTokens: options.outputTokens,
    inputTokens: options.inputTokens ?? null,
    factors,
    energyWh: span(results, 'energyWh'),
    gpuEnergyWh: span(results, 'gpuEnergyWh'),
    serverEnergyWh: span(results, 'serverEnergyWh'),
    gco2e: span(results, 'gco2e'),
    embodiedGco2e: span(results, 'embodiedGco2e'),
    totalGco2e: { low: results[0].gco2e + results[0].embodiedGco2e, high: results[1].gco2e + results[1].embodiedGco2e },
    waterMl: span(results, 'waterMl'),
    gpus: span(results, 'gpus'),
    generationTimeS: span(results, 'generationTimeS'),
    assumptions,
  };
}
