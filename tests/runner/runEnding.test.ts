// How a run's ending is told from its abort reason, the reason stored, and the exit code of each signal.
import { describe, it, expect } from 'vitest';
import { RunInterruption, endingOfAbort, endingReason, INTERRUPT_SIGNALS } from '../../lib/runner/runEnding';
import { signalExitCode, ExitCode } from '../../lib/errors/WattbenchError';

function reasonOf(abort: (c: AbortController) => void): unknown {
  const controller = new AbortController();
  abort(controller);
  return controller.signal.reason;
}

describe('endingOfAbort', () => {
  it('a RunInterruption is an interruption by its signal, and the stored reason names it', () => {
    for (const signal of INTERRUPT_SIGNALS) {
      const ending = endingOfAbort(reasonOf((c) => c.abort(new RunInterruption(signal))));
      expect(ending).toEqual({ status: 'interrupted', signal });
      expect(endingReason(ending)).toContain(signal);
    }
    // Only Ctrl-C is called Ctrl-C.
    expect(endingReason({ status: 'interrupted', signal: 'SIGINT' })).toContain('Ctrl-C');
    expect(endingReason({ status: 'interrupted', signal: 'SIGTERM' })).not.toContain('Ctrl-C');
    expect(endingReason({ status: 'interrupted', signal: 'SIGHUP' })).toContain('terminal closed');
  });

  it('any other error is a failure with its first line as the reason; a bare abort() an unnamed interruption', () => {
    const crash = new Error('boom\n    at somewhere (file.ts:1:1)');
    const failed = endingOfAbort(reasonOf((c) => c.abort(crash)));
    expect(failed).toEqual({ status: 'failed', error: crash });
    expect(endingReason(failed)).toBe('boom');
    const bare = endingOfAbort(reasonOf((c) => c.abort()));
    expect(bare).toEqual({ status: 'interrupted', signal: null });
    expect(endingReason(bare)).toBe('interrupted');
    expect(endingReason({ status: 'completed' })).toBeNull();
  });
});

describe('signalExitCode', () => {
  it('is 128 + the signal number, as shells report it', () => {
    expect(signalExitCode('SIGINT')).toBe(ExitCode.interrupted);
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGHUP')).toBe(129);
    expect(signalExitCode('SIGQUIT')).toBe(131);
    expect(signalExitCode('SIGTERM')).toBe(143);
  });
});
