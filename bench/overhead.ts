// Benchmark (not a test): does the sampler slow generation? Interleaves blocks of generation on
// stories260K with the sampler off and on (10 Hz, /proc plus the power sources this machine has, and a
// reading at each repetition boundary as runs take),
// flushing its samples to a real SQLite file every second as a run does, then prints the median
// on/off ratio of generation tokens/s and the sampler's own CPU cost.
//   npx tsx bench/overhead.ts [--pairs 40] [--block-ms 1000] [--threads 1] [--no-power]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadLlama, setLlamaLog } from '../lib/runner/loadLlama';
import { printLlamaLine } from './output/printError';
import { measureRepetition, type RepetitionBoundary } from '../lib/runner/measureRepetition';
import { buildPromptTokens } from '../lib/runner/buildPromptTokens';
import { createSampler, type Sampler } from '../lib/sampler/createSampler';
import { summarize, quantile } from '../lib/stats/summarize';
import { detectHardware } from '../lib/hardware/detectHardware';
import { detectPowerSources } from '../lib/power/detectPowerSources';
import { readsAtEdges, type PowerSource } from '../lib/power/types';
import { formatNumber } from '../lib/format/numbers';
import os from 'node:os';
import fs from 'node:fs';
import { openDb } from '../lib/db/openDb';
import { upsertHardware, upsertModel, createRun, insertSamples } from '../lib/db/runWriter';
import { inspectModelFile } from '../lib/model/inspectModelFile';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'models', 'stories260K.gguf') },
    pairs: { type: 'string', default: '40' },
    'block-ms': { type: 'string', default: '1000' },
    threads: { type: 'string', default: '1' },
    'no-power': { type: 'boolean', default: false },
  },
});
const pairs = Number(values.pairs);
const blockMs = Number(values['block-ms']);
const threads = Number(values.threads);

const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattbench-overhead-'));
const db = openDb(path.join(dbDir, 'overhead.db'));
const hwFacts = await detectHardware();
const runId = createRun(db, {
  modelId: upsertModel(db, (await inspectModelFile(values.model!)).facts),
  hardwareId: upsertHardware(db, hwFacts),
  suite: 'overhead', threads, reps: 0, warmup: 0, contextSize: 512, seed: 42, promptFormat: 'completion',
  settings: {}, runtime: {}, pid: process.pid, startedAt: Date.now(),
});
setLlamaLog(printLlamaLine);
const llama = await loadLlama();
const model = await llama.loadModel({ modelPath: values.model!, gpuLayers: 0 });
const context = await model.createContext({ contextSize: 512, threads });
const sequence = context.getSequence();
const tokens = buildPromptTokens(model, { kind: 'synthetic', promptTokens: 1, id: 'tg', title: 'tg', lang: 'en', task: 'tg', maxTokens: 128, ignoreEos: true }, { format: 'completion', chatWrapper: null }, 42);

/** Generation tokens/s over one block; with a sampler and a counter source, it also reads at every repetition boundary, as runs do. */
async function block(sampler?: Sampler): Promise<number> {
  let generated = 0;
  let genMs = 0;
  const end = performance.now() + blockMs;
  const onBoundary = sampler && readsAtEdges(sources) ? (_edge: RepetitionBoundary, epochMs: number) => sampler.mark(epochMs) : undefined;
  while (performance.now() < end) {
    const m = await measureRepetition({ model, sequence, tokens, maxTokens: 128, ignoreEos: true, temperature: 0, seed: 42, onBoundary });
    generated += m.outputTokens - 1;
    genMs += m.e2eMs - m.ttftMs;
  }
  return generated / (genMs / 1000);
}

let sources: PowerSource[] = [];
if (!values['no-power']) {
  const detected = await detectPowerSources({ power: 'auto', cpuModel: hwFacts.cpuModel, logicalCpus: hwFacts.cpuThreads, memoryBytes: hwFacts.memoryBytes });
  sources = detected.sources;
}
const powerLabel = sources.length ? sources.map((s) => s.label).join(' + ') : 'none';

await block(); // warm-up
const ratios: number[] = [];
const off: number[] = [];
const on: number[] = [];
const costs: number[] = [];
for (let i = 0; i < pairs; i++) {
  // Alternate which half goes first so that drift on a shared machine cancels out.
  const order = i % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
  const rate: Record<string, number> = {};
  for (const mode of order) {
    if (mode === 'off') {
      rate.off = await block();
      continue;
    }
    for (const s of sources) await s.start({ nowMs: Date.now(), cpuUtilisation: 0 });
    const sampler = createSampler({ intervalMs: 100, getState: () => ({ phase: 'measure', promptIndex: 0, tokensGenerated: 0 }), powerSources: sources });
    const started = performance.now();
    sampler.start();
    // Flushing is part of the sampler's cost in a real run: count its time too.
    let flushMs = 0;
    const flush = setInterval(() => {
      const t0 = performance.now();
      insertSamples(db, runId, sampler.drain());
      flushMs += performance.now() - t0;
    }, 1000);
    rate.on = await block(sampler);
    clearInterval(flush);
    sampler.stop();
    insertSamples(db, runId, sampler.drain());
    for (const s of sources) await s.stop();
    costs.push(((sampler.busyMs + flushMs) / (performance.now() - started)) * 100);
  }
  off.push(rate.off);
  on.push(rate.on);
  ratios.push(rate.on / rate.off);
  process.stderr.write(`pair ${i + 1}/${pairs}: off ${formatNumber(rate.off, 'en')} tok/s, on ${formatNumber(rate.on, 'en')} tok/s, ratio ${rate.on / rate.off > 0 ? (rate.on / rate.off).toFixed(3) : '?'}\n`);
}
const fmt = (xs: number[], unit: string) => {
  const s = summarize(xs)!;
  return `${formatNumber(s.mean, 'en')} ± ${formatNumber(s.sd, 'en')} ${unit}  (min … max ${formatNumber(s.min, 'en')} … ${formatNumber(s.max, 'en')})`;
};
console.log(`Sampler overhead on ${path.basename(values.model!)} · ${threads} thread(s) · ${pairs} interleaved pairs of ${blockMs} ms · power sources: ${powerLabel}`);
console.log(`  Generation, sampler off:   ${fmt(off, 'tok/s')}`);
console.log(`  Generation, sampler on:    ${fmt(on, 'tok/s')}`);
console.log(`  Ratio on/off (median):     ${quantile(ratios, 0.5).toFixed(3)}   target >= 0.99`);
console.log(`  Sampler CPU at 10 Hz:      ${quantile(costs, 0.5).toFixed(3)} % of one core, ticks and SQLite flushes (median; max ${Math.max(...costs).toFixed(3)} %)   target <= 1 %`);
db.$client.close();
fs.rmSync(dbDir, { recursive: true, force: true });
await context.dispose();
await model.dispose();
