// The failed / failureReason / failedAtMs triple every source exposes: set once, first reason wins.
import type { PowerSource } from './types';

export class SourceFailure {
  failed = false;
  reason: string | undefined;
  atMs: number | undefined;

  /** Records the first failure; later ones are consequences of it and are ignored. */
  mark(reason: string, atMs: number): void {
    if (this.failed) return;
    this.failed = true;
    this.reason = reason;
    this.atMs = atMs;
  }
}

/** The message of an unknown thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Adds live `failed`, `failureReason` and `failedAtMs` getters, backed by `failure`, to a source object. */
export function exposeFailure(failure: SourceFailure, source: Omit<PowerSource, 'failed' | 'failureReason' | 'failedAtMs'>): PowerSource {
  // defineProperties keeps them live getters (a spread would copy today's values).
  return Object.defineProperties(source, {
    failed: { get: () => failure.failed, enumerable: true },
    failureReason: { get: () => failure.reason, enumerable: true },
    failedAtMs: { get: () => failure.atMs, enumerable: true },
  }) as PowerSource;
}
