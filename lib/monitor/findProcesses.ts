// The processes a monitor watches: one pid (--pid), or every process of a name (--process), from /proc (Linux).
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors/WattbenchError';
import { procPath } from '../sampler/procReaders';
import { isProcessAlive } from '../db/processIdentity';

export interface FoundProcess {
  pid: number;
  /** Its command name (/proc/<pid>/comm). */
  name: string;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return null;
  }
}

function commOf(root: string, pid: number): string | null {
  return readText(procPath(root, String(pid), 'comm'))?.replace(/\n$/, '') ?? null;
}

/** The running process `pid` (not a zombie); InputError (exit 2) when there is none. */
export function findPid(pid: number, root = '/'): FoundProcess {
  const name = commOf(root, pid);
  if (name === null || !isProcessAlive(pid, null)) throw new InputError(`no running process has pid ${pid}; see ps -e for the processes of this machine`);
  return { pid, name };
}

/**
 * Every running process named `name`: its command name (/proc/<pid>/comm, which the kernel cuts at 15
 * characters) or the file name of its executable as started (argv[0]) equals it. This process and its parent
 * (npx, a shell) are left out: their command lines hold the name as an argument, never as argv[0], but a
 * wattbench started as `name` must not watch itself. InputError (exit 2) when none matches.
 */
export function findProcessesByName(name: string, root = '/'): FoundProcess[] {
  if (!name.trim() || name.includes('/') || name.includes('\0')) throw new InputError(`--process must be a process name such as ollama or llama-server (got "${name}")`);
  const procDir = procPath(root);
  let entries: string[];
  try {
    entries = fs.readdirSync(procDir);
  } catch {
    throw new InputError(`--process needs /proc (Linux), which ${procDir} is not; pass --pid N instead`);
  }
  const self = new Set([process.pid, process.ppid]);
  const found: FoundProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (self.has(pid)) continue;
    const comm = commOf(root, pid);
    if (comm === null) continue;
    const argv0 = readText(procPath(root, entry, 'cmdline'))?.split('\0', 1)[0] ?? '';
    const matches = comm === name || (name.length > 15 && comm === name.slice(0, 15)) || (argv0 !== '' && path.basename(argv0) === name);
    if (matches && isProcessAlive(pid, null)) found.push({ pid, name: comm });
  }
  if (found.length === 0) throw new InputError(`no running process is named "${name}"; check the name with ps -e (or pass --pid N)`);
  return found.sort((a, b) => a.pid - b.pid);
}
