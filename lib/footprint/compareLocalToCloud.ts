// Local vs cloud for the same work: the run's own energy beside EcoLogits estimates of three cloud alternatives.
import { InputError } from '../errors/WattbenchError';
import { ECOLOGITS_METHOD, describeFitRange, fitRangeCheck, usageGco2e } from './ecologits';
import { estimateRequestImpact } from './estimateRequestImpact';
import { cloudModels, publishedFigures, type CloudModel } from './footprintData';
import { formatCount } from '../format/numbers';
import { matchCloudModel } from './matchCloudModel';
import { resolveCountry } from './resolveCountry';
import type {
  CloudComparisonRow,
  CloudRowRole,
  LocalCloudComparison,
  LocalEnergyInput,
  LocalModelInfo,
  PublishedFigure,
  Range,
} from './types';

export interface CompareLocalToCloudInput {
  /** Prompt tokens of the work (summed over its requests). */
  inputTokens: number;
  /** Generated tokens of the work (summed over its requests). */
  outputTokens: number;
  /** The local energy with its labels; null when it was not measured (never read as zero). */
  local: LocalEnergyInput | null;
  localModel: LocalModelInfo;
  /** ISO 3166-1 alpha-2 code of the user's grid (--country). Defaults to WATTBENCH_COUNTRY, then the world average. */
  country?: string;
  /** Environment to read WATTBENCH_COUNTRY from. Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Provider EcoLogits uses for open models served in the cloud. */
const OPEN_MODEL_PROVIDER = 'huggingface_hub';

const ROW_TITLES: Record<CloudRowRole, string> = {
  'same-open-model': 'Same open model in a data centre',
  'small-closed': 'Small closed model',
  frontier: 'Frontier model',
};

function scaleRange(range: Range, factor: number): Range {
  return { low: range.low * factor, high: range.high * factor };
}

function catalogueModel(id: string): CloudModel {
  const model = cloudModels.models.find((m) => m.id === id);
  // The schema checks that every comparison names a catalogue model.
  if (!model) throw new Error(`cloudModels.json has no model ${id}`);
  return model;
}

/** The run's basis when given, else from the methods: any "modelled" figure makes it (partly) an estimate. */
function localBasis(local: LocalEnergyInput): 'measured' | 'estimate' | 'mixed' {
  if (local.basis) return local.basis;
  const methods = local.method.split(' + ');
  const modelled = methods.filter((m) => m === 'modelled').length;
  return modelled === 0 ? 'measured' : modelled === methods.length ? 'estimate' : 'mixed';
}

function localLabel(local: LocalEnergyInput | null): string {
  if (!local) return 'not measured';
  return `${local.label}${local.partial ? ', partial' : ''}`;
}

export function compareLocalToCloud(input: CompareLocalToCloudInput): LocalCloudComparison {
  if (input.local && !(Number.isFinite(input.local.joules) && input.local.joules >= 0)) {
    throw new InputError(`local energy must be 0 or more joules (got ${input.local.joules})`);
  }
  const grid = resolveCountry({ flag: input.country, env: input.env });
  const work = { outputTokens: input.outputTokens, inputTokens: input.inputTokens };

  const row = (role: CloudRowRole, model: CloudComparisonRow['model'], active: Range, total: Range): CloudComparisonRow => {
    const estimate = estimateRequestImpact({ ...work, activeParamsB: active, totalParamsB: total, provider: model.providerId });
    // Either end of a range far outside the fitted sizes is worth a warning (the low end first: the usual case).
    const fitRange = fitRangeCheck(active.low) ?? fitRangeCheck(active.high);
    return {
      role,
      title: ROW_TITLES[role],
      model,
      estimate,
      gco2eLocalGrid: scaleRange(estimate.energyWh, grid.gCo2ePerKwh / 1000),
      ...(fitRange ? { fitWarning: describeFitRange(model.name, fitRange), fitRange } : {}),
    };
  };
  const fromCatalogue = (role: CloudRowRole, m: CloudModel, matchedBy: CloudComparisonRow['model']['matchedBy']) =>
    row(
      role,
      { id: m.id, name: m.name, providerId: m.provider, architecture: m.architecture, open: m.open, matchedBy, source: m.source },
      m.activeParamsB,
      m.totalParamsB,
    );

  const cloud: CloudComparisonRow[] = [];
  const matched = matchCloudModel([input.localModel.name, input.localModel.fileName]);
  if (matched) {
    // Open models in the catalogue are served through OPEN_MODEL_PROVIDER (checked in footprintData.test.ts).
    cloud.push(fromCatalogue('same-open-model', matched, 'name'));
  } else if (input.localModel.parameters !== null && input.localModel.parameters > 0) {
    const b = input.localModel.parameters / 1e9;
    cloud.push(
      row(
        'same-open-model',
        {
          id: null,
          name: input.localModel.name ?? input.localModel.fileName,
          providerId: OPEN_MODEL_PROVIDER,
          architecture: 'dense',
          open: true,
          matchedBy: 'own-parameter-count',
          source: 'parameter count read from the GGUF file; not in the catalogue, so assumed dense (a mixture of experts would be overestimated)',
        },
        { low: b, high: b },
        { low: b, high: b },
      ),
    );
  } else {
    cloud.push({
      role: 'same-open-model',
      title: ROW_TITLES['same-open-model'],
      model: {
        id: null,
        name: input.localModel.name ?? input.localModel.fileName,
        providerId: OPEN_MODEL_PROVIDER,
        architecture: 'dense',
        open: true,
        matchedBy: 'own-parameter-count',
        source: 'not in the catalogue and the GGUF file gives no parameter count',
      },
      estimate: null,
      gco2eLocalGrid: null,
      unavailableReason: 'the model is not in the catalogue and its parameter count is unknown',
    });
  }
  cloud.push(fromCatalogue('small-closed', catalogueModel(cloudModels.comparisons['small-closed']), 'class'));
  cloud.push(fromCatalogue('frontier', catalogueModel(cloudModels.comparisons.frontier), 'class'));

  const local = input.local;
  const energyWh = local ? local.joules / 3600 : null;
  const notes: string[] = [
    `Cloud figures are estimates (EcoLogits 0.9.1) for the same ${formatCount(input.outputTokens, 'en')} output tokens; the method does not count the ${formatCount(input.inputTokens, 'en')} input tokens, while the local figure includes prompt processing.`,
    'Cloud energy covers the GPUs, the server share at batch size 64 and data-centre overhead (PUE); the local figure covers only what its power source measures (see its boundary).',
    'Closed models are ranges: their size is not published, EcoLogits estimates it.',
  ];
  if (grid.isDefault) notes.push('No country given (--country or WATTBENCH_COUNTRY): your grid is the world average.');
  if (!local) notes.push('No energy was recorded for this run: the local figures are not measured (not zero).');
  if (local?.partial) notes.push('A power source failed during the run: the local energy covers only part of it.');
  if (local?.window) notes.push(`This machine: ${local.window}`);
  if (local?.constantNote) notes.push(`This machine: ${local.constantNote}`);
  for (const row of cloud) if (row.fitWarning) notes.push(row.fitWarning);

  const published: PublishedFigure[] = publishedFigures.figures.map((f) => ({ ...f, kind: 'published-claim' }));

  return {
    method: ECOLOGITS_METHOD,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    grid,
    local: {
      model: input.localModel,
      recorded: local !== null,
      measured: local !== null && localBasis(local) === 'measured',
      estimated: local !== null && localBasis(local) !== 'measured',
      basis: local ? localBasis(local) : 'none',
      window: local?.window ?? null,
      constantNote: local?.constantNote ?? null,
      energyWh,
      gco2eLocalGrid: energyWh === null ? null : usageGco2e(energyWh, grid.gCo2ePerKwh),
      waterMl: null,
      waterNote: 'not estimated: wattbench has no water figure for your electricity or your machine',
      source: local?.source ?? null,
      boundary: local?.boundary ?? null,
      energyMethod: local?.method ?? null,
      partial: local?.partial ?? false,
      label: localLabel(local),
    },
    cloud,
    published,
    notes,
  };
}
