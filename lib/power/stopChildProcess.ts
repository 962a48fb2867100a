// Ends a long-lived sampling process (nvidia-smi, powermetrics): SIGTERM, then SIGKILL after a grace period.
import type { ChildProcess } from 'node:child_process';

/** Resolves once `proc` has closed, or has been sent SIGKILL after `graceMs` (default 2000 ms). */
export async function stopChildProcess(proc: ChildProcess, closed: Promise<void>, graceMs = 2000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([closed, killed]);
  clearTimeout(timer);
}
