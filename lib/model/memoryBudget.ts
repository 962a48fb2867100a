// The memory a model must fit in on this machine: the largest GPU's VRAM when a discrete GPU reports it (llama.cpp
// offloads the layers there), else the free RAM. An integrated GPU's carve-out (an AMD APU reports 512 MiB–2 GiB of
// "VRAM") is not where the model goes: below MIN_DISCRETE_VRAM the RAM decides. Total VRAM, not free VRAM: reading the free figure needs the
// driver's tools or llama.cpp's backend loaded, and a listing loads neither.
import os from 'node:os';
import type { GpuInfo } from '../domain/types';

export interface MemoryBudget {
  kind: 'free RAM' | 'VRAM';
  bytes: number;
  /** "free RAM" or "VRAM of NVIDIA H200 (total)". */
  description: string;
}

const MIN_DISCRETE_VRAM = 3 * 1024 ** 3;

export function memoryBudget(gpus: readonly GpuInfo[], env: Readonly<Record<string, string | undefined>> = process.env): MemoryBudget {
  const gpu = env.WATTBENCH_GPU === 'false' ? undefined : [...gpus].filter((g) => (g.memoryBytes ?? 0) >= MIN_DISCRETE_VRAM).sort((a, b) => b.memoryBytes! - a.memoryBytes!)[0];
  if (gpu) return { kind: 'VRAM', bytes: gpu.memoryBytes!, description: `VRAM of ${gpu.name} (total)` };
  // Node reads MemAvailable on Linux: what can be used without swapping, caches included.
  return { kind: 'free RAM', bytes: os.freemem(), description: 'free RAM' };
}
