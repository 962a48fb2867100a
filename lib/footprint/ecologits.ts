// The EcoLogits LLM-inference formulas as published for its release 0.9.1, as pure functions of one point.
// Source: genai-impact/ecologits v0.9.1, docs/methodology/llm_inference.md (CC BY-SA 4.0) and ecologits/impacts/llm.py.
// Our own implementation; coefficients as printed in the methodology (the code carries more digits, < 0.02 % apart).
import type { EstimateMethod, FitRangeCheck } from './types';

export const ECOLOGITS_METHOD: EstimateMethod = {
  name: 'EcoLogits',
  version: '0.9.1',
  label: 'estimate: EcoLogits 0.9.1',
  source: 'GenAI Impact, EcoLogits release 0.9.1 (2025-11-13), docs/methodology/llm_inference.md and ecologits/impacts/llm.py',
  boundary:
    'GPU energy plus the server share (without GPUs) at batch size 64, times the data-centre PUE; water on site and for generating the electricity; ' +
    'excludes networking, storage, idle capacity, training and user devices',
};

/** Coefficients of EcoLogits 0.9.1; units in the names. */
export const ECOLOGITS_0_9_1 = {
  /** f_E(P) = α·exp(β·B)·P + γ, Wh per output token, fitted on ML.ENERGY H100 measurements. */
  energyAlpha: 1.1665e-6,
  energyBeta: -1.1206e-2,
  energyGamma: 4.0529e-5,
  /** f_L(P) = a·P + b·B + c, seconds per output token. */
  latencyAlpha: 6.785e-4,
  latencyBeta: 3.119e-4,
  latencyGamma: 1.947e-2,
  /** Requests served together. */
  batchSize: 64,
  /** Weights held in 16 bits. */
  quantizationBits: 16,
  /** Memory overhead over the weights. */
  memoryOverhead: 1.2,
  /** One NVIDIA H100 80 GB. */
  gpuMemoryGb: 80,
  /** GPUs in one p5.48xlarge-class server. */
  serverGpus: 8,
  /** Server power besides its GPUs, watts (1.2 kW). */
  serverPowerW: 1200,
  /** Embodied emissions of the server without GPUs, kgCO2e (BoaviztAPI, AWS p5.48xlarge). */
  serverEmbodiedKgCo2e: 5700,
  /** Embodied emissions of one H100 80 GB, kgCO2e (NVIDIA HGX H100 PCF summary). */
  gpuEmbodiedKgCo2e: 164,
  /** Hardware lifetime: 3 years, in seconds. */
  hardwareLifetimeS: 3 * 365 * 24 * 60 * 60,
} as const;

const C = ECOLOGITS_0_9_1;

/**
 * Active parameters (billions) of the models behind the energy fit: ML.ENERGY's H100 measurements of open
 * data-centre models, from Llama 3.1 8B (the smallest, publishedFigures.json) to Llama 3.1 405B. Outside this
 * the fit is an extrapolation; far below it, its constant γ does most of the work.
 */
export const ECOLOGITS_FIT_ACTIVE_PARAMS_B = { low: 8, high: 405 } as const;
/** How many times outside the fitted sizes a model must be before the output warns ("far outside"). */
export const FIT_WARNING_FACTOR = 2;

/** Where `activeParamsB` lies when it is at least FIT_WARNING_FACTOR times outside the fitted sizes; null inside or near them. */
export function fitRangeCheck(activeParamsB: number): FitRangeCheck | null {
  const { low, high } = ECOLOGITS_FIT_ACTIVE_PARAMS_B;
  if (activeParamsB > 0 && activeParamsB * FIT_WARNING_FACTOR <= low) {
    return { side: 'below', activeParamsB, factor: low / activeParamsB, fitLowB: low, fitHighB: high };
  }
  if (activeParamsB >= high * FIT_WARNING_FACTOR) {
    return { side: 'above', activeParamsB, factor: activeParamsB / high, fitLowB: low, fitHighB: high };
  }
  return null;
}

/** The English sentence of a {@link FitRangeCheck} (terminal, --json). */
export function describeFitRange(name: string, check: FitRangeCheck): string {
  const fmt = (x: number) => String(Number(x.toPrecision(2)));
  const fit = `EcoLogits' energy fit was made on models of about ${check.fitLowB}–${check.fitHighB} B active parameters (ML.ENERGY H100 measurements)`;
  return check.side === 'below'
    ? `${name} has ${fmt(check.activeParamsB)} B active parameters, ${fmt(check.factor)}× fewer than the smallest model the fit covers: ${fit}, so this cloud figure is an extrapolation, mostly the fit's fixed per-token term.`
    : `${name} has ${fmt(check.activeParamsB)} B active parameters, ${fmt(check.factor)}× more than the largest model the fit covers: ${fit}, so this cloud figure is an extrapolation.`;
}

/**
 * A warning when `activeParamsB` is at least FIT_WARNING_FACTOR times below or above the fitted sizes, saying
 * by how much; null inside or near them.
 */
export function fitRangeWarning(name: string, activeParamsB: number): string | null {
  const check = fitRangeCheck(activeParamsB);
  return check ? describeFitRange(name, check) : null;
}

/** GPU energy per output token, Wh, for `activeParamsB` billion active parameters: f_E(P) = α·exp(β·64)·P + γ. */
export function gpuEnergyPerTokenWh(activeParamsB: number): number {
  return C.energyAlpha * Math.exp(C.energyBeta * C.batchSize) * activeParamsB + C.energyGamma;
}

/** Generation latency per output token, seconds: f_L(P) = 6.785e-4·P + 3.119e-4·64 + 1.947e-2. */
export function latencyPerTokenS(activeParamsB: number): number {
  return C.latencyAlpha * activeParamsB + C.latencyBeta * C.batchSize + C.latencyGamma;
}

/**
 * H100 80 GB GPUs needed to hold the weights: ⌈1.2 · P_total · 16 / 8 / 80⌉ rounded up to a power of two.
 * At least one, however small the model.
 */
export function gpuCount(totalParamsB: number): number {
  const memoryGb = (C.memoryOverhead * totalParamsB * C.quantizationBits) / 8;
  const gpus = Math.max(1, Math.ceil(memoryGb / C.gpuMemoryGb));
  return 2 ** Math.ceil(Math.log2(gpus));
}

/** Generation time of the request, seconds: ΔT = T · f_L(P), capped by a measured request latency when one is known. */
export function generationTimeS(outputTokens: number, activeParamsB: number, requestLatencyS: number = Infinity): number {
  return Math.min(outputTokens * latencyPerTokenS(activeParamsB), requestLatencyS);
}

/** Energy of the server without its GPUs, Wh: ΔT · 1.2 kW · (GPUs / 8) / B. */
export function serverEnergyWh(generationTime: number, gpus: number): number {
  return ((generationTime / 3600) * C.serverPowerW * (gpus / C.serverGpus)) / C.batchSize;
}

/** Energy of the GPUs, Wh: GPUs · T · f_E(P). */
export function gpusEnergyWh(outputTokens: number, activeParamsB: number, gpus: number): number {
  return gpus * outputTokens * gpuEnergyPerTokenWh(activeParamsB);
}

/** Request energy including data-centre overhead, Wh: E = PUE · (E_server + E_GPUs). */
export function requestEnergyWh(pue: number, serverWh: number, gpusWh: number): number {
  return pue * (serverWh + gpusWh);
}

/** Usage emissions, gCO2e: E [kWh] · F_em [gCO2e/kWh]. */
export function usageGco2e(energyWh: number, gridGCo2ePerKwh: number): number {
  return (energyWh / 1000) * gridGCo2ePerKwh;
}

/**
 * Usage water, mL: E · (WUE_onsite + PUE · WUE_offsite), E in kWh and WUE in L/kWh give litres; Wh give mL.
 * EcoLogits 0.9.1 applies this to the request energy, PUE included (a later release switched to IT energy).
 */
export function usageWaterMl(energyWh: number, pue: number, wueOnsiteLPerKwh: number, wueOffsiteLPerKwh: number): number {
  return energyWh * (wueOnsiteLPerKwh + pue * wueOffsiteLPerKwh);
}

/**
 * Embodied emissions allocated to the request, gCO2e: ΔT / (B · lifetime) · ((GPUs / 8) · 5,700 + GPUs · 164) kgCO2e.
 */
export function embodiedGco2e(generationTime: number, gpus: number): number {
  const hardwareKg = (gpus / C.serverGpus) * C.serverEmbodiedKgCo2e + gpus * C.gpuEmbodiedKgCo2e;
  return (generationTime / (C.batchSize * C.hardwareLifetimeS)) * hardwareKg * 1000;
}

/** One evaluation of the method at exact parameter counts and factors. */
export interface EcoLogitsPointInput {
  activeParamsB: number;
  totalParamsB: number;
  outputTokens: number;
  /** Measured request latency, seconds; caps the generation time. Defaults to no cap. */
  requestLatencyS?: number;
  pue: number;
  wueOnsiteLPerKwh: number;
  wueOffsiteLPerKwh: number;
  gridGCo2ePerKwh: number;
}

export interface EcoLogitsPointResult {
  gpus: number;
  generationTimeS: number;
  gpuEnergyWh: number;
  serverEnergyWh: number;
  energyWh: number;
  gco2e: number;
  waterMl: number;
  embodiedGco2e: number;
}

export function evaluateEcoLogits(input: EcoLogitsPointInput): EcoLogitsPointResult {
  const gpus = gpuCount(input.totalParamsB);
  const time = generationTimeS(input.outputTokens, input.activeParamsB, input.requestLatencyS);
  const server = serverEnergyWh(time, gpus);
  const gpuWh = gpusEnergyWh(input.outputTokens, input.activeParamsB, gpus);
  const energy = requestEnergyWh(input.pue, server, gpuWh);
  return {
    gpus,
    generationTimeS: time,
    gpuEnergyWh: gpuWh,
    serverEnergyWh: server,
    energyWh: energy,
    gco2e: usageGco2e(energy, input.gridGCo2ePerKwh),
    waterMl: usageWaterMl(energy, input.pue, input.wueOnsiteLPerKwh, input.wueOffsiteLPerKwh),
    embodiedGco2e: embodiedGco2e(time, gpus),
  };
}
