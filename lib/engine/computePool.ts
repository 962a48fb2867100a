// How many libuv worker threads this process's llama.cpp work can land on. node-llama-cpp queues every decode on
// libuv's pool, and an OpenMP build keeps one team of threads per calling thread, so with more than one worker
// the OpenMP threads outnumber the cores and libgomp stops spinning between tokens (docs/performance.md).

/** The pool size the CLI's entry (bench/wattbench.cjs) sets when the user has not: every decode on one thread. */
export const COMPUTE_POOL_SIZE = 1;

/** libuv's pool size as libuv reads it: UV_THREADPOOL_SIZE, clamped to 1…1024, default 4. */
export function computePoolSize(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const n = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  if (!Number.isFinite(n)) return 4;
  return Math.min(1024, Math.max(1, n));
}

/**
 * The environment for a child process that runs no model (the dashboard's server, `next build`, the llama.cpp build
 * of `wattbench setup`): libuv's default pool again when the pool of one came from the CLI's entry rather than from
 * the user, since serving, copying, compressing and hashing files use the pool concurrently.
 */
export function envWithoutComputePool(env: Readonly<Record<string, string | undefined>> = process.env): NodeJS.ProcessEnv {
  const { UV_THREADPOOL_SIZE: _pool, WATTBENCH_POOL_FROM_ENTRY: marker, ...rest } = env;
  // A cast only because Next's types declare NODE_ENV required: these are process.env's own variables.
  return (marker === '1' ? rest : { ...env }) as NodeJS.ProcessEnv;
}
