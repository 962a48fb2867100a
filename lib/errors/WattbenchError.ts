// Errors that reach the user: a one-line message that names the problem and the fix, and an exit code.

/**
 * Exit codes of the CLI: 0 success, 1 the run failed, 2 bad usage or bad input, 130 interrupted by Ctrl-C
 * (128 + SIGINT, as shells expect).
 */
export const ExitCode = { ok: 0, runFailed: 1, badInput: 2, interrupted: 130 } as const;

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
