// Errors that reach the user: a one-line message that names the problem and the fix, and an exit code.

import os from 'node:os';

/**
 * Exit codes of the CLI: 0 success, 1 the run failed, 2 bad usage or bad input, 130 interrupted by Ctrl-C
 * (128 + SIGINT, as shells expect; other signals: `signalExitCode`).
 */
export const ExitCode = { ok: 0, runFailed: 1, badInput: 2, interrupted: 130 } as const;

/** 128 + the signal's number, as shells report a process a signal ended: SIGHUP 129, SIGINT 130, SIGQUIT 131, SIGTERM 143. */
export function signalExitCode(signal: NodeJS.Signals): number {
  const n = os.constants.signals[signal];
  return n === undefined ? ExitCode.interrupted : 128 + n;
}

export class WattbenchError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.runFailed) {
    super(message);
    this.name = 'WattbenchError';
    this.exitCode = exitCode;
  }
}

/** Bad usage or bad input: rejected before any work starts (exit 2). */
export class InputError extends WattbenchError {
  constructor(message: string) {
    super(message, ExitCode.badInput);
    this.name = 'InputError';
  }
}

export class ModelLoadError extends WattbenchError {
  readonly modelPath: string;
  constructor(message: string, modelPath: string, exitCode: number = ExitCode.badInput) {
    super(message, exitCode);
    this.name = 'ModelLoadError';
    this.modelPath = modelPath;
  }
}

export class DatabaseError extends WattbenchError {
  readonly dbPath: string;
  constructor(message: string, dbPath: string, exitCode: number = ExitCode.badInput) {
    super(message, exitCode);
    this.name = 'DatabaseError';
    this.dbPath = dbPath;
  }
}
