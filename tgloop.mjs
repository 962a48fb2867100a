import { getLlama } from 'node-llama-cpp';
const threads = Number(process.env.T ?? 1);
const llama = await getLlama({ build: 'never', gpu: false, maxThreads: Number(process.env.MAXT ?? 0) });
const model = await llama.loadModel({ modelPath: process.env.M ?? 'tests/fixtures/models/stories260K.gguf' });
const ctx = await model.createContext({ contextSize: 2048, threads });
const seq = ctx.getSequence();
async function run(n) {
  await seq.clearHistory();
  const t0 = performance.now(); let first = 0, k = 0;
  for await (const t of seq.evaluate([1], { temperature: 0, yieldEogToken: true })) { if (k === 0) first = performance.now(); if (++k >= n) break; }
  return (k - 1) / ((performance.now() - first) / 1000);
}
await run(64);
const r = []; for (let i = 0; i < 5; i++) r.push(await run(256));
r.sort((a, b) => a - b);
console.log(JSON.stringify({ buildType: llama.buildType, threads, maxThreads: llama.maxThreads, median: Math.round(r[2]), all: r.map(Math.round) }));
await ctx.dispose(); await model.dispose();
