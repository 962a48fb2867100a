// A small sysfs attribute kept open and re-read with pread at offset 0: one syscall per sample,
// no allocation beyond a reused buffer (sysfs regenerates the value on every read at offset 0).
import fs from 'node:fs';

export class SysfsFile {
  readonly path: string;
  private fd: number | null;
  private readonly buf = Buffer.alloc(64);

  /** Opens the file; throws the fs error (EACCES, ENOENT…) so callers can say why. */
  constructor(filePath: string) {
    this.path = filePath;
    this.fd = fs.openSync(filePath, 'r');
  }

  /** The leading unsigned integer of the value ("12345\n" → 12345). Throws when the value is not one. */
  readUInt(): number {
    return this.parseInt(this.readBytes(), 0);
  }

  /** The leading integer, sign allowed ("-1234\n": some batteries report discharge current as negative). */
  readInt(): number {
    const n = this.readBytes();
    return this.buf[0] === 45 /* - */ ? -this.parseInt(n, 1) : this.parseInt(n, 0);
  }

  private parseInt(n: number, from: number): number {
    let value = 0;
    let digits = 0;
    for (let i = from; i < n; i++) {
      const c = this.buf[i];
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      digits++;
    }
    if (digits === 0) throw new Error(`${this.path}: expected an integer, read ${JSON.stringify(this.buf.toString('utf8', 0, n))}`);
    return value;
  }

  /** The value as text without the trailing newline. */
  readText(): string {
    const n = this.readBytes();
    return this.buf.toString('utf8', 0, n).trimEnd();
  }

  close(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // Already gone (device removed): nothing left to release.
    }
    this.fd = null;
  }

  private readBytes(): number {
    if (this.fd === null) throw new Error(`${this.path}: closed`);
    return fs.readSync(this.fd, this.buf, 0, this.buf.length, 0);
  }
}

/** One-shot read of a small text attribute, without the trailing newline; null when it cannot be read. */
export function readSysfsText(filePath: string): string | null {
  try {
    return fs.readFileSync(filePath, 'utf8').trimEnd();
  } catch {
    return null;
  }
}

/** The errno code of an fs error ("EACCES"), or undefined. */
export function fsErrorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** True for the errors that mean "you may not read this" rather than "it is not there". */
export function isPermissionError(err: unknown): boolean {
  const code = fsErrorCode(err);
  return code === 'EACCES' || code === 'EPERM';
}
