// Builds wattbench's native generation loop (native/generateTokens.cc) against the node-llama-cpp that is
// installed: its addon's own headers (for the layout of the context object it wraps), the llama.cpp headers of
// the release it ships (read from its git bundle: no network) and Node-API. One C++ file, a few seconds with
// the system's C++ compiler; `npm ci` runs it (postinstall) and `wattbench setup` runs it again.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { nodeLlamaCppDir } from './buildEngine';
import { GENERATION_LOOP_ABI, generationLoopPaths, type GenerationLoopBuildInfo } from './generationLoopPaths';

export type BuildGenerationLoopResult = { built: true; info: GenerationLoopBuildInfo; seconds: number } | { built: false; reason: string };

/** Compiles the addon into build/native/; never throws: a failure is a reason, and runs fall back to node-llama-cpp's loop. */
export function buildGenerationLoop(): BuildGenerationLoopResult {
  const start = performance.now();
  if (process.platform !== 'linux') return { built: false, reason: `the native generation loop is built on Linux only (this is ${process.platform})` };
  const paths = generationLoopPaths();
  const nlcDir = nodeLlamaCppDir();
  const nlcVersion = readJson<{ version: string }>(path.join(nlcDir, 'package.json')).version;
  const nodeInclude = path.resolve(path.dirname(process.execPath), '..', 'include', 'node');
  if (!fs.existsSync(path.join(nodeInclude, 'node_api.h'))) return { built: false, reason: `Node's headers are not at ${nodeInclude}` };
  const addonHeaders = path.join(nlcDir, 'llama', 'addon');
  if (!fs.existsSync(path.join(addonHeaders, 'AddonContext.h'))) return { built: false, reason: `node-llama-cpp ${nlcVersion} does not ship its addon's headers` };
  const libDir = prebuiltLibDir();
  if (!libDir) return { built: false, reason: `no prebuilt llama.cpp library for ${process.platform}-${process.arch} in node_modules/@node-llama-cpp` };
  const libName = fs.readdirSync(libDir).find((f) => /^libllama(\.v[\d.]+)?\.so$/.test(f));
  if (!libName) return { built: false, reason: `no libllama in ${libDir}` };
  const compiler = process.env.CXX || 'g++';
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wattbench-native-'));
  try {
    const headers = llamaHeaders(nlcDir, work);
    const nodeAddonApi = createRequire(import.meta.url)('node-addon-api') as { include_dir: string };
    fs.mkdirSync(path.dirname(paths.addon), { recursive: true });
    const partial = `${paths.addon}.${process.pid}.tmp`;
    // -DNAPI_VERSION=7 and -fexceptions as node-llama-cpp builds its addon, so the wrapped object has the same layout.
    const args = [
      '-std=c++17', '-O3', '-fPIC', '-shared', '-fexceptions', '-DNAPI_VERSION=7',
      '-I', nodeInclude, '-I', path.resolve(nodeAddonApi.include_dir), '-I', addonHeaders,
      '-I', path.join(headers.root, 'include'), '-I', path.join(headers.root, 'ggml', 'include'),
      paths.source, '-L', libDir, `-l:${libName}`, '-o', partial,
    ];
    try {
      execFileSync(compiler, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      fs.rmSync(partial, { force: true });
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').find((l) => /error/i.test(l));
      return { built: false, reason: `${compiler} failed${stderr ? `: ${stderr}` : ` (${(err as Error).message.split('\n')[0]})`}` };
    }
    fs.renameSync(partial, paths.addon);
    const info: GenerationLoopBuildInfo = {
      abi: GENERATION_LOOP_ABI,
      nodeLlamaCppVersion: nlcVersion,
      llamaCppCommit: headers.commit,
      compiler: firstLine(execFileSync(compiler, ['--version']).toString()),
      builtAt: new Date().toISOString(),
    };
    fs.writeFileSync(paths.info, `${JSON.stringify(info, null, 2)}\n`);
    return { built: true, info, seconds: (performance.now() - start) / 1000 };
  } catch (err) {
    return { built: false, reason: (err as Error).message.split('\n')[0] };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** llama.h and the ggml headers of the release node-llama-cpp ships: its source folder when downloaded, else read from its git bundle. */
function llamaHeaders(nlcDir: string, work: string): { root: string; commit: string } {
  const bundle = path.join(nlcDir, 'llama', 'gitRelease.bundle');
  const git = (args: string[], cwd = work): string => execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  git(['init', '-q', '.']);
  git(['fetch', '-q', bundle, 'HEAD']);
  const commit = git(['rev-parse', 'FETCH_HEAD']).trim();
  const tar = execFileSync('git', ['archive', '--format=tar', 'FETCH_HEAD', 'include', 'ggml/include'], { cwd: work, maxBuffer: 64 * 1024 * 1024 });
  const root = path.join(work, 'src');
  fs.mkdirSync(root);
  execFileSync('tar', ['-x', '-C', root], { input: tar });
  return { root, commit };
}

/** The folder of node-llama-cpp's prebuilt binary for this platform (any libllama of the same release links the same symbols). */
function prebuiltLibDir(): string | null {
  const name = `${process.platform}-${process.arch}`;
  try {
    // The package's exports hide package.json: go up from its entry point (dist/index.js).
    const entry = createRequire(path.join(nodeLlamaCppDir(), 'package.json')).resolve(`@node-llama-cpp/${name}`);
    const dir = path.join(path.dirname(entry), '..', 'bins', name);
    return fs.existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
