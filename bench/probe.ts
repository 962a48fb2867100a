// The probe's honesty on this machine: runs `wattbench probe` (default ladder, or --max-bytes / --rungs passed
// through) into a scratch database and prints the error of predicting the held-out size, generation and prompt.
// Usage: npx tsx bench/probe.ts [--max-bytes N] [--rungs N] [--threads N] [--reps N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattbench-probe-bench-'));
const db = path.join(dir, 'probe.db');
const started = Date.now();
// A busy machine gives wrong timings, whatever the fit: the load before and after is printed beside the errors.
const loadBefore = os.loadavg()[0];
const res = spawnSync(process.execPath, [path.join(root, 'bench', 'wattbench.cjs'), 'probe', '--db', db, '--json', ...process.argv.slice(2)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (res.status !== 0) {
  process.stderr.write(`probe failed (exit ${res.status})\n`);
  process.exit(1);
}
const out = JSON.parse(res.stdout) as {
  runIds: number[];
  fit: {
    generation: { bandwidthBytesPerSec: number; residualRel: number };
    prompt: { flopsPerSec: number; residualRel: number };
    heldOut: { modelLabel: string; genError: number; promptError: number; predictedGenTokensPerSec: number; measuredGenTokensPerSec: number; predictedPromptTokensPerSec: number; measuredPromptTokensPerSec: number } | null;
    points: Array<{ modelLabel: string; genTokensPerSec: number; promptTokensPerSec: number }>;
  };
};
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const loadAfter = os.loadavg()[0];
const cpus = os.cpus().length;
const f = out.fit;
console.log(`probe: ${out.runIds.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s (forging included unless cached)`);
for (const p of f.points) console.log(`  ${p.modelLabel}: generation ${p.genTokensPerSec.toFixed(1)} tok/s, prompt ${p.promptTokensPerSec.toFixed(1)} tok/s`);
console.log(`bandwidth ${(f.generation.bandwidthBytesPerSec / 1e9).toFixed(2)} GB/s (residuals ${pct(f.generation.residualRel)}), prompt ${(f.prompt.flopsPerSec / 1e9).toFixed(1)} GFLOP/s (residuals ${pct(f.prompt.residualRel)})`);
if (f.heldOut) {
  const h = f.heldOut;
  console.log(`held out ${h.modelLabel}: generation predicted ${h.predictedGenTokensPerSec.toFixed(1)} / measured ${h.measuredGenTokensPerSec.toFixed(1)} tok/s → error ${pct(h.genError)} (target < 20 %)`);
  console.log(`                 prompt predicted ${h.predictedPromptTokensPerSec.toFixed(1)} / measured ${h.measuredPromptTokensPerSec.toFixed(1)} tok/s → error ${pct(h.promptError)} (target < 20 %)`);
} else {
  console.log('held out: none (fewer than three sizes)');
}
console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (the probe's own work included), on ${cpus} CPUs`);
// Only the load before the probe is other programs' work: the probe itself keeps one to two CPUs busy.
if (loadBefore > cpus / 2) {
  console.log('warning: the machine was busy; these timings (and the held-out errors) measure the neighbours as much as the machine: rerun it quiet.');
}
fs.rmSync(dir, { recursive: true, force: true });
