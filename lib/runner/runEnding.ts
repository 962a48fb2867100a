// How a run ended, and the reason stored with it: completed, interrupted (by which signal) or failed (why).

/** The signals that end a run like Ctrl-C: the run finishes cleanly and keeps what it gathered. */
export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const satisfies readonly NodeJS.Signals[];
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** The abort reason a caller gives runBenchmark's signal to say which signal interrupted the run. */
export class RunInterruption extends Error {
  readonly signal: InterruptSignal;
  constructor(signal: InterruptSignal) {
    super(`interrupted by ${signal}`);
    this.name = 'RunInterruption';
    this.signal = signal;
  }
}

export type RunEnding =
  | { status: 'completed' }
  /** `signal` null: aborted by a caller that named no signal. */
  | { status: 'interrupted'; signal: InterruptSignal | null }
  | { status: 'failed'; error: unknown };

/**
 * What an aborted signal's reason means: a RunInterruption names its signal, any other Error is a failure
 * (a crash routed to the run so that it still ends cleanly), and a bare abort() an unnamed interruption.
 */
export function endingOfAbort(reason: unknown): RunEnding {
  if (reason instanceof RunInterruption) return { status: 'interrupted', signal: reason.signal };
  if (reason instanceof Error && reason.name !== 'AbortError') return { status: 'failed', error: reason };
  return { status: 'interrupted', signal: null };
}

const SIGNAL_REASONS: Record<InterruptSignal, string> = {
  SIGINT: 'interrupted by the user (Ctrl-C, SIGINT)',
  SIGTERM: 'interrupted: asked to terminate (SIGTERM)',
  SIGHUP: 'interrupted: its terminal closed (SIGHUP)',
  SIGQUIT: 'interrupted: asked to quit (SIGQUIT, Ctrl-\\)',
};

/** The reason stored in the run row; null for a completed run. */
export function endingReason(ending: RunEnding): string | null {
  switch (ending.status) {
    case 'completed':
      return null;
    case 'interrupted':
      return ending.signal ? SIGNAL_REASONS[ending.signal] : 'interrupted';
    case 'failed':
      return firstLine(ending.error);
  }
}

export function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
