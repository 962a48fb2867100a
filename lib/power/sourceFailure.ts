// The failed / failureReason / failedAtMs triple every source exposes: set once, first reason wins.

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
