// Before a forge writes anything: the output path is a .gguf in an existing folder, not taken (unless forced),
// and its file system has room for the file, whose size is known in advance.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors/WattbenchError';
import { formatBytes } from '../format/units';

/** `fileBytes` may be a function: the size is only computed (a vocabulary, a header) once the path is known to be good. */
export function checkForgeTarget(file: string, fileBytes: number | (() => number), opts: { force?: boolean; flag?: string } = {}): void {
  const flag = opts.flag ?? '--out';
  if (!file.toLowerCase().endsWith('.gguf')) throw new InputError(`${flag} ${file} does not end in .gguf: name the file to write, e.g. ${flag} models/forge-25M.gguf`);
  const dir = path.dirname(path.resolve(file));
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new InputError(`${flag} ${file}: the folder ${dir} does not exist; create it first or write elsewhere`);
  const existing = fs.statSync(file, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new InputError(`${flag} ${file} is a folder: name the .gguf file to write inside it`);
  if (existing && !opts.force) throw new InputError(`${flag} ${file} already exists: pass --force to overwrite it, or choose another path`);
  const { bavail, bsize } = fs.statfsSync(dir);
  const free = bavail * bsize;
  const needed = typeof fileBytes === 'function' ? fileBytes() : fileBytes;
  // The old file (if forced) stays until the rename: its space does not count as free.
  if (needed > free) {
    throw new InputError(`not enough disk space for ${file}: it needs ${formatBytes(needed, 'en')} and ${dir} has ${formatBytes(free, 'en')} free; free some space, write elsewhere, or forge a smaller model`);
  }
}
