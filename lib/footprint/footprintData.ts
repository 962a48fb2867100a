// The footprint data files, validated with zod when first imported: a malformed file is a bug, caught by a test.
import { z } from 'zod';
import cloudModelsJson from './datasets/cloudModels.json';
import gridIntensityJson from './datasets/gridIntensity.json';
import providersJson from './datasets/providers.json';
import publishedFiguresJson from './datasets/publishedFigures.json';
import type { Range } from './types';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();

const rangeSchema = z
  .object({ low: nonNegative, high: nonNegative })
  .strict()
  .refine((r) => r.low <= r.high, { message: 'low must not exceed high' });

/** A number or {low, high} in the file; always a Range once loaded. */
const rangeInputSchema = z.union([nonNegative, rangeSchema]).transform((v): Range => (typeof v === 'number' ? { low: v, high: v } : v));
const positiveRangeInput = rangeInputSchema.refine((r) => r.low > 0, { message: 'must be positive' });

const cloudModelSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    provider: z.string().min(1),
    open: z.boolean(),
    class: z.enum(['frontier', 'small-closed', 'large-closed', 'open']),
    architecture: z.enum(['dense', 'moe']),
    totalParamsB: positiveRangeInput,
    activeParamsB: positiveRangeInput,
    /** Token sequences that identify the model in a GGUF name or file name (see matchCloudModel). */
    match: z.array(z.array(z.string().min(1)).min(1)),
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .strict()
  .refine((m) => m.activeParamsB.low <= m.totalParamsB.low && m.activeParamsB.high <= m.totalParamsB.high, {
    message: 'active parameters must not exceed total parameters',
  })
  .refine((m) => m.architecture === 'moe' || (m.activeParamsB.low === m.totalParamsB.low && m.activeParamsB.high === m.totalParamsB.high), {
    message: 'a dense model has as many active parameters as parameters',
  });

export const cloudModelsFileSchema = z
  .object({
    description: z.string(),
    comparisons: z.object({ 'small-closed': z.string(), frontier: z.string() }).strict(),
    models: z.array(cloudModelSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    for (const m of file.models) {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate model id ${m.id}` });
      ids.add(m.id);
    }
    for (const [role, id] of Object.entries(file.comparisons)) {
      if (!ids.has(id)) ctx.addIssue({ code: 'custom', message: `comparison ${role} names unknown model ${id}` });
    }
  });

export const gridIntensityFileSchema = z
  .object({
    description: z.string(),
    sources: z.record(z.string(), z.object({ title: z.string(), publisher: z.string(), url: z.string().url(), license: z.string(), note: z.string() }).strict()),
    notes: z.array(z.string()),
    countries: z
      .array(
        z
          .object({
            code: z.string().regex(/^([A-Z]{2}|WORLD)$/, 'an ISO 3166-1 alpha-2 code or WORLD'),
            name: z.string().min(1),
            gCo2ePerKwh: positive.max(2000),
            year: z.number().int().min(2015).max(2100),
            source: z.string(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const codes = new Set<string>();
    for (const c of file.countries) {
      if (codes.has(c.code)) ctx.addIssue({ code: 'custom', message: `duplicate country ${c.code}` });
      codes.add(c.code);
      if (!(c.source in file.sources)) ctx.addIssue({ code: 'custom', message: `country ${c.code} cites unknown source ${c.source}` });
    }
    if (!codes.has('WORLD')) ctx.addIssue({ code: 'custom', message: 'the WORLD average is missing' });
  });

const providerSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    cloud: z.string(),
    zone: z.string(),
    pue: positiveRangeInput.refine((r) => r.low >= 1, { message: 'a PUE is at least 1' }),
    wueOnsiteLPerKwh: rangeInputSchema,
    source: z.string(),
    note: z.string().optional(),
  })
  .strict();

export const providersFileSchema = z
  .object({
    description: z.string(),
    sources: z.record(z.string(), z.object({ title: z.string(), url: z.string().url(), note: z.string() }).strict()),
    zones: z.array(
      z
        .object({ zone: z.string(), name: z.string(), gCo2ePerKwh: positive, wueOffsiteLPerKwh: nonNegative, source: z.string() })
        .strict(),
    ),
    providers: z.array(providerSchema).min(1),
    unspecified: z.object({ description: z.string(), zone: z.string() }).strict(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const zones = new Set(file.zones.map((z) => z.zone));
    for (const p of file.providers) {
      if (!zones.has(p.zone)) ctx.addIssue({ code: 'custom', message: `provider ${p.id} is in unknown zone ${p.zone}` });
      if (!(p.source in file.sources)) ctx.addIssue({ code: 'custom', message: `provider ${p.id} cites unknown source ${p.source}` });
    }
    for (const z of file.zones) {
      if (!(z.source in file.sources)) ctx.addIssue({ code: 'custom', message: `zone ${z.zone} cites unknown source ${z.source}` });
    }
    if (!zones.has(file.unspecified.zone)) ctx.addIssue({ code: 'custom', message: `unknown zone ${file.unspecified.zone}` });
  });

export const publishedFiguresFileSchema = z
  .object({
    description: z.string(),
    figures: z
      .array(
        z
          .object({
            id: z.string().min(1),
            publisher: z.string().min(1),
            title: z.string().min(1),
            date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
            dateLabel: z.string().min(1),
            citation: z.string().min(1),
            url: z.string().url(),
            unitOfWork: z.string().min(1),
            boundary: z.string().min(1),
            quantities: z
              .object({
                energyWh: positive.optional(),
                gco2e: positive.optional(),
                waterMl: positive.optional(),
                adpeMgSbEq: positive.optional(),
                energyJPerOutputToken: positive.optional(),
              })
              .strict()
              .refine((q) => Object.keys(q).length > 0, { message: 'a figure gives at least one quantity' }),
            note: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type CloudModel = z.output<typeof cloudModelSchema>;
export type CloudModelsFile = z.output<typeof cloudModelsFileSchema>;
export type GridIntensityFile = z.output<typeof gridIntensityFileSchema>;
export type ProvidersFile = z.output<typeof providersFileSchema>;
export type Provider = ProvidersFile['providers'][number];
export type PublishedFiguresFile = z.output<typeof publishedFiguresFileSchema>;

/** Parses a data file, naming the file in the error: these files ship with wattbench, so a failure is a bug. */
export function parseDataFile<S extends z.ZodType>(schema: S, data: unknown, fileName: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new Error(`lib/footprint/datasets/${fileName} is malformed (a wattbench bug): ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export const cloudModels: CloudModelsFile = parseDataFile(cloudModelsFileSchema, cloudModelsJson, 'cloudModels.json');
export const gridIntensity: GridIntensityFile = parseDataFile(gridIntensityFileSchema, gridIntensityJson, 'gridIntensity.json');
export const providers: ProvidersFile = parseDataFile(providersFileSchema, providersJson, 'providers.json');
export const publishedFigures: PublishedFiguresFile = parseDataFile(publishedFiguresFileSchema, publishedFiguresJson, 'publishedFigures.json');
