// Builds llama.cpp for this machine from the source node-llama-cpp ships (its git bundle: no network), through
// node-llama-cpp's own `source download|build` command, so the runner's getLlama() finds the local build first.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { WattbenchError, ExitCode } from '../errors/WattbenchError';
import { envWithoutComputePool } from './computePool';

export type EngineBackend = 'cpu' | 'cuda' | 'vulkan' | 'metal';

export interface BuildEngineOptions {
  backend: EngineBackend;
  /** Compile steps done out of total, as cmake reports them ("[73/277]"). */
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

/** node-llama-cpp's install folder (its CLI, the bundled source, and where local builds go). */
export function nodeLlamaCppDir(): string {
  // The package's exports hide package.json: go up from its entry point (dist/index.js).
  const require = createRequire(import.meta.url);
  return path.resolve(path.dirname(require.resolve('node-llama-cpp')), '..');
}

/** True when a local build is present (it is wiped by `npm ci`, which recreates node_modules). */
export function hasLocalBuild(): boolean {
  const dir = path.join(nodeLlamaCppDir(), 'llama', 'localBuilds');
  try {
    return fs.readdirSync(dir).some((entry) => !entry.endsWith('.lock'));
  } catch {
    return false;
  }
}

/**
 * The backend `--gpu auto` builds: CUDA where an NVIDIA GPU and the CUDA compiler are both present, Metal on
 * Apple silicon, else the CPU. Vulkan is never guessed (it needs the Vulkan SDK): ask for it by name.
 */
export function pickBackend(): { backend: EngineBackend; reason: string } {
  if (process.platform === 'darwin' && process.arch === 'arm64') return { backend: 'metal', reason: 'Apple silicon' };
  const gpu = commandWorks('nvidia-smi', ['-L']);
  if (gpu && commandWorks('nvcc', ['--version'])) return { backend: 'cuda', reason: 'an NVIDIA GPU and the CUDA compiler (nvcc) were found' };
  if (gpu) return { backend: 'cpu', reason: 'an NVIDIA GPU was found but no CUDA compiler (nvcc); install the CUDA toolkit and run setup --gpu cuda' };
  return { backend: 'cpu', reason: 'no GPU that node-llama-cpp can build for was found' };
}

function commandWorks(command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

/** A rough duration before the first compile step reports: about 12 CPU-minutes for the CPU backend (11.7 and 13.6 measured on a 2-core VM). */
export function estimateBuildSeconds(backend: EngineBackend, cpus = os.availableParallelism()): number {
  const cpuMinutes = backend === 'cpu' ? 12 : backend === 'metal' ? 10 : 40;
  return Math.round((cpuMinutes * 60) / Math.max(1, cpus));
}

/** Builds and resolves when the local build is in place; rejects with the build's last lines when it fails. */
export function buildEngine(options: BuildEngineOptions): Promise<void> {
  const dir = nodeLlamaCppDir();
  const cli = path.join(dir, 'dist', 'cli', 'cli.js');
  // A source folder from an earlier setup is rebuilt; otherwise it is cloned from the bundled git bundle first.
  const hasSource = fs.existsSync(path.join(dir, 'llama', 'llama.cpp', 'CMakeLists.txt'));
  const args = [cli, 'source', hasSource ? 'build' : 'download', '--gpu', options.backend === 'cpu' ? 'false' : options.backend, '--noUsageExample'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...envWithoutComputePool(), CI: 'true', NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' },
      signal: options.signal,
    });
    const tail: string[] = [];
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split(/\r?\n|\r/);
      buffered = lines.pop() ?? '';
      for (const raw of lines) {
        // Strip terminal colour and cursor codes from the tool's output.
        const line = raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trim();
        if (!line) continue;
        tail.push(line);
        if (tail.length > 12) tail.shift();
        const step = /^\[(\d+)\/(\d+)\]/.exec(line);
        if (step) options.onProgress?.(Number(step[1]), Number(step[2]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new WattbenchError(`cannot build llama.cpp: ${err.message}`, ExitCode.runFailed)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const why = tail.filter((l) => /error|not found|could not|failed/i.test(l)).slice(-1)[0] ?? tail.slice(-1)[0] ?? `exit code ${code}`;
      reject(new WattbenchError(`building llama.cpp (${options.backend}) failed: ${why}; install cmake and a C++ compiler (apt-get install cmake g++), or keep the prebuilt binary`, ExitCode.runFailed));
    });
  });
}
