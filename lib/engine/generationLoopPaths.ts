// Where the native generation loop's source, binary and build record live (build/ is never tracked).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bumped when the addon's JavaScript interface changes: an older binary is then rebuilt, never called. */
export const GENERATION_LOOP_ABI = 1;

/** What a build was made against, written beside the binary. */
export interface GenerationLoopBuildInfo {
  abi: number;
  nodeLlamaCppVersion: string;
  /** The llama.cpp commit of node-llama-cpp's bundled source, whose headers the addon was compiled with. */
  llamaCppCommit: string;
  compiler: string;
  builtAt: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function generationLoopPaths(): { source: string; addon: string; info: string } {
  const dir = process.env.WATTBENCH_NATIVE_DIR ? path.resolve(process.env.WATTBENCH_NATIVE_DIR) : path.join(ROOT, 'build', 'native');
  return {
    source: path.join(ROOT, 'native', 'generateTokens.cc'),
    addon: path.join(dir, 'generateTokens.node'),
    info: path.join(dir, 'generateTokens.json'),
  };
}
