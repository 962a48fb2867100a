import os from 'node:os';
import path from 'node:path';

/** Where `join` keeps the leaders' models and suites: WATTBENCH_WORKSHOP_DIR, else $XDG_CACHE_HOME/wattbench/workshop, else ~/.cache/wattbench/workshop. */
export function workshopCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WATTBENCH_WORKSHOP_DIR) return path.resolve(env.WATTBENCH_WORKSHOP_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'wattbench', 'workshop');
}
