#!/usr/bin/env node
// Entry point of the `wattbench` CLI: registers tsx so the TypeScript sources run without a build step.
// CommonJS on purpose: it must set the libuv thread pool's size before anything uses the pool, and Node's ESM
// loader reads an ES module's own file through that pool before the module's first line runs.
'use strict';

// One libuv worker: node-llama-cpp queues every decode on the pool, and libgomp (llama.cpp's OpenMP in local
// builds) keeps a team of threads per calling thread. With 4 workers there are soon more OpenMP threads than
// cores, libgomp then stops spinning between parallel regions, and every generated token pays a futex wake-up
// (2-thread generation at 0.7 of llama-bench on a 2-core machine; docs/performance.md). Nothing else in the
// CLI's process needs the pool while a model runs (the sampler reads synchronously). A user's own value is kept;
// `run` warns when it is above 1 on an OpenMP build. COMPUTE_POOL_SIZE in lib/engine/computePool.ts is this value.
if (process.env.UV_THREADPOOL_SIZE === undefined) {
  process.env.UV_THREADPOOL_SIZE = '1';
  // So that processes that run no model (the dashboard's server, next build) get libuv's default back.
  process.env.WATTBENCH_POOL_FROM_ENTRY = '1';
}

(async () => {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('./cli.ts');
  process.exitCode = await main(process.argv);
})();
