// Benchmark (not a test): how fast `wattbench forge` writes a model, per type, on this machine. Forges one
// mid-size model (110M parameters by default) per type into tmp/forge-bench/, --rounds times in alternation so
// that drift on a shared machine reaches every type, deletes each file, and prints the median MiB/s of the
// file written (and millions of parameters per second: the quantised types write fewer bytes per parameter), and
// the same per second of this process's CPU time, which a busy shared machine does not distort.
//   npx tsx bench/forge.ts [--params 110M] [--types f32,f16,q8_0,q4_0] [--rounds 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { forgeLlamaModelAsync, formatParameters, parseParameterCount, shapeForParameters, type ForgeType } from '../lib/forge/forgeLlamaModel';
import { quantile } from '../lib/stats/summarize';
import { formatNumber } from '../lib/format/numbers';
import { formatBytes } from '../lib/format/units';
import { formatTable } from './output/formatTable';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    params: { type: 'string', default: '110M' },
    types: { type: 'string', default: 'f32,f16,q8_0,q4_0' },
    rounds: { type: 'string', default: '3' },
  },
});
const params = parseParameterCount(values.params!);
if (params === null) throw new Error(`--params ${values.params}: expected a size like 25M or 1.5B`);
const types = values.types!.split(',') as ForgeType[];
const rounds = Number(values.rounds);
const shape = shapeForParameters(params);
const dir = path.join(ROOT, 'tmp', 'forge-bench');
fs.mkdirSync(dir, { recursive: true });

const seconds: Record<string, number[]> = Object.fromEntries(types.map((t) => [t, []]));
const cpuSeconds: Record<string, number[]> = Object.fromEntries(types.map((t) => [t, []]));
const sizes: Record<string, number> = {};
let parameters = 0;
for (let round = 0; round < rounds; round++) {
  for (const type of types) {
    const file = path.join(dir, `forge-${values.params}-${type}.gguf`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await forgeLlamaModelAsync({ file, shape, type });
    const cpu = process.cpuUsage(cpu0);
    seconds[type].push((performance.now() - t0) / 1000);
    cpuSeconds[type].push((cpu.user + cpu.system) / 1e6);
    sizes[type] = result.fileBytes;
    parameters = result.parameters;
    fs.rmSync(file);
  }
}
fs.rmSync(dir, { recursive: true, force: true });

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(`forge throughput: ${formatParameters(parameters)} parameters (${shape.embd} wide, ${shape.layers} layers), median of ${rounds} round${rounds === 1 ? '' : 's'}, ${cpu}, ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(1)}\n`);
const rows = types.map((type) => ({ type, bytes: sizes[type], s: quantile(seconds[type], 0.5), cpu: quantile(cpuSeconds[type], 0.5) }));
process.stdout.write(
  formatTable(rows, [
    { header: 'type', value: (r) => r.type },
    { header: 'file', value: (r) => formatBytes(r.bytes, 'en'), align: 'right' },
    { header: 'time (median)', value: (r) => `${formatNumber(r.s, 'en')} s`, align: 'right' },
    { header: 'MiB/s', value: (r) => formatNumber(r.bytes / 2 ** 20 / r.s, 'en'), align: 'right' },
    { header: 'M parameters/s', value: (r) => formatNumber(parameters / 1e6 / r.s, 'en'), align: 'right' },
    { header: 'CPU time', value: (r) => `${formatNumber(r.cpu, 'en')} s`, align: 'right' },
    { header: 'MiB/CPU-s', value: (r) => formatNumber(r.bytes / 2 ** 20 / r.cpu, 'en'), align: 'right' },
  ]) + '\n',
);
