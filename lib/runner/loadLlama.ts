// One Llama binding per process (getLlama costs ~0.5 s), with llama.cpp's log noise filtered.
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

let cached: Promise<Llama> | null = null;

/** Messages llama.cpp logs for harmless quirks of some GGUF files (stories260K has no separator/padding token). */
const HARMLESS = [/bad special token/];

export function loadLlama(): Promise<Llama> {
  cached ??= getLlama({
    // Never build or download at run time: use the prebuilt binary from npm.
    build: 'never',
    gpu: process.env.WATTBENCH_GPU === 'false' ? false : 'auto',
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => {
      if (HARMLESS.some((re) => re.test(message))) return;
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) process.stderr.write(`llama.cpp: ${message.trimEnd()}\n`);
    },
  });
  return cached;
}
