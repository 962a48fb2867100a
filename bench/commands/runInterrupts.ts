// How a command that writes a run (run, run --endpoint, monitor) is stopped: SIGINT (Ctrl-C), SIGTERM, SIGHUP
// (terminal closed) and SIGQUIT end it cleanly after the current step and the run says which; a second signal
// leaves at once (the next open marks the run interrupted); a crash anywhere in the process ends the run
// "failed" the same way, or, once the run's own finishing path has run, is reported and exits.
import { ExitCode, signalExitCode } from '../../lib/errors/WattbenchError';
import { INTERRUPT_SIGNALS, RunInterruption, firstLine, type InterruptSignal } from '../../lib/runner/runEnding';
import { printError } from '../output/printError';

export interface RunInterrupts {
  /** Aborted with a RunInterruption (a signal) or the crash's error. */
  signal: AbortSignal;
  /** The run's finishing path has run: from now on a crash is reported and exits, never routed to the run. */
  markOver(): void;
  /** The exit code of the signal that stopped the command, or null when none did. */
  signalExitCode(): number | null;
  /** Removes the handlers (in the command's finally). */
  dispose(): void;
}

export function interceptRunInterrupts(): RunInterrupts {
  const abort = new AbortController();
  let over = false;
  const onSignal = (signal: InterruptSignal): void => {
    if (abort.signal.aborted) process.exit(signalExitCode(signal));
    // The terminal is gone: writing to it fails (EIO), which must not turn the clean end into a crash.
    if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    abort.abort(new RunInterruption(signal));
  };
  const onCrash = (err: unknown): void => {
    if (!over && !abort.signal.aborted) return void abort.abort(err instanceof Error ? err : new Error(String(err)));
    // The run is already ending (its finishing path crashed: the next open marks it interrupted) or over.
    printError(`unexpected failure: ${firstLine(err)}`);
    process.exit(ExitCode.runFailed);
  };
  const handlers = INTERRUPT_SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return {
    signal: abort.signal,
    markOver: () => void (over = true),
    signalExitCode: () => {
      const reason: unknown = abort.signal.reason;
      return abort.signal.aborted && reason instanceof RunInterruption ? signalExitCode(reason.signal) : null;
    },
    dispose: () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    },
  };
}
