// The processes listening on a TCP port of this machine (Linux): the socket's inode from /proc/net/tcp and
// tcp6 (state 0A is LISTEN), then the processes holding that inode among their open files (/proc/<pid>/fd/*
// links read "socket:[inode]"). Processes of other users whose fds cannot be read are not found: pass
// --server-pid then.
import fs from 'node:fs';
import path from 'node:path';

export function findListeningPids(port: number, root = '/'): number[] {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, 'proc', 'net', table), 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      if (f.length < 10 || f[3] !== '0A') continue;
      const localPort = parseInt(f[1].split(':').pop() ?? '', 16);
      if (localPort === port && f[9] !== '0') inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(path.join(root, 'proc'));
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fdDir = path.join(root, 'proc', entry, 'fd');
    let fds: string[];
    try {
      fds = fs.readdirSync(fdDir);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(path.join(fdDir, fd));
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids.filter((pid) => pid !== process.pid).sort((a, b) => a - b);
}
