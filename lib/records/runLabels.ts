// Short human names for models and machines, shared by every query.
import os from 'node:os';
import type { RunStatus } from '../domain/types';
import { isProcessAlive } from '../db/processIdentity';

/**
 * A model's label: its file name without ".gguf". The GGUF `general.name` is often generic ("llama" for
 * stories260K, "LLaMA v2" for a random tiny model) and would make two models look alike; it stays on the run page.
 */
export function modelLabel(_name: string | null | undefined, fileName: string): string {
  return fileName.replace(/\.gguf$/i, '');
}

/** "Intel(R) Core(TM) i7-1185G7 @ 3.00GHz" → "Intel Core i7-1185G7". */
export function shortCpu(cpuModel: string): string {
  return cpuModel
    .replace(/\((R|TM|tm|r)\)/g, '')
    .replace(/\b(CPU|Processor|\d+-Core)\b/g, '')
    .replace(/@.*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function hardwareLabel(hostname: string, cpuModel: string): string {
  return `${hostname} · ${shortCpu(cpuModel)}`;
}

/** A run's status as the dashboard shows it: "stale" when it says running but its process on this host is gone. */
export type DisplayStatus = RunStatus | 'stale';

export function displayStatus(
  status: RunStatus,
  pid: number,
  pidStartTicks: string | null,
  hostname: string,
): DisplayStatus {
  if (status !== 'running') return status;
  // Only a process on this machine can be checked; a database copied from elsewhere keeps its word.
  if (hostname !== os.hostname()) return status;
  return isProcessAlive(pid, pidStartTicks) ? 'running' : 'stale';
}
