// Runs the CLI's own `main` in this process, for tables of bad-flag cases that end before any model, database
// or native code is touched: the same parsing and the same one-line errors as the binary, without paying ~1.5 s
// of CPU to start Node and tsx for each case. Every family of such cases keeps at least one test through the
// real binary (`runCli`), which covers what this cannot: the process's exit code and its real streams.
import { main } from '../../bench/cli';
import type { CliResult } from './runCli';

/** As a process's result; `signal` is always null here. */
export type InProcessResult = CliResult & { code: number; signal: null };

/** `args` after the command name as typed (`['footprint', '--run', '1']`); `env` is set for the call only. */
export async function runCliInProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<InProcessResult> {
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const savedExitCode = process.exitCode;
  const capture = (stream: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array) => {
      out[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stdout.write;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  process.exitCode = undefined;
  try {
    const code = await main([process.execPath, 'wattbench', ...args]);
    return { code, signal: null, ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.exitCode = savedExitCode;
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
