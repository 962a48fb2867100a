// One Llama binding per process (getLlama costs ~0.5 s), with llama.cpp's log noise filtered.
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { llamaLog } from './llamaLog';

export { setLlamaLog, type LlamaLog } from './llamaLog';

let cached: Promise<Llama> | null = null;

/** Messages llama.cpp logs for harmless quirks of some GGUF files (stories260K has no separator/padding token). */
const HARMLESS = [/bad special token/];

export function loadLlama(): Promise<Llama> {
  cached ??= getLlama({
    // Never build or download at run time: a local build from `wattbench setup` when there is one, else the
    // prebuilt binary from npm (getLlama looks for the local build first).
    build: 'never',
    gpu: process.env.WATTBENCH_GPU === 'false' ? false : 'auto',
    // WATTBENCH_ENGINE=prebuilt skips a local build (to compare the two): getLlama looks local builds up by
    // their cmake options and prebuilt binaries without them, so an option no local build has finds only the prebuilt.
    cmakeOptions: process.env.WATTBENCH_ENGINE === 'prebuilt' ? { WATTBENCH_PREBUILT_ONLY: '1' } : undefined,
    // No thread budget: each context gets exactly the threads it asks for. With a budget (node-llama-cpp's
    // default, the CPU's math cores) a request above it is silently clamped, and every decode first awaits
    // an allocation from the budget: one more promise per generated token.
    maxThreads: 0,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => {
      if (HARMLESS.some((re) => re.test(message))) return;
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) llamaLog(message.trimEnd());
    },
  });
  return cached;
}
