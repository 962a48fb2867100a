// The processes listening on a TCP port of this machine (Linux): the socket's inode from /proc/net/tcp and
// tcp6 (state 0A is LISTEN), then the processes holding that inode among their open files (/proc/<pid>/fd/*
// links read "socket:[inode]"). Processes of other users whose fds cannot be read are not found: pass
// --server-pid then.
import fs from 'node:fs';
import path from 'node:path';

/** One LISTEN row of /proc/net/tcp or tcp6. */
interface ListenRow {
  port: number;
  addressHex: string;
  ipv6: boolean;
  inode: string;
}

/** The LISTEN rows (state 0A) of /proc/net/tcp and tcp6; a table that cannot be read adds none. */
function readListenRows(root: string): ListenRow[] {
  const rows: ListenRow[] = [];
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
      const [addressHex = '', portHex = ''] = f[1].split(':');
      rows.push({ port: parseInt(portHex, 16), addressHex, ipv6: table === 'tcp6', inode: f[9] });
    }
  }
  return rows;
}

/** The socket inodes a process holds open (/proc/<pid>/fd/* links read "socket:[inode]"); none when unreadable. */
function socketInodes(pid: string, root: string): string[] {
  const fdDir = path.join(root, 'proc', pid, 'fd');
  let fds: string[];
  try {
    fds = fs.readdirSync(fdDir);
  } catch {
    return [];
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(path.join(fdDir, fd)));
      if (m) inodes.push(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  return inodes;
}

export function findListeningPids(port: number, root = '/'): number[] {
  const inodes = new Set(readListenRows(root).filter((r) => r.port === port && r.inode !== '0').map((r) => r.inode));
  if (inodes.size === 0) return [];
  let entries: string[];
  try {
    entries = fs.readdirSync(path.join(root, 'proc'));
  } catch {
    return [];
  }
  const pids = entries.filter((entry) => /^\d+$/.test(entry) && socketInodes(entry, root).some((inode) => inodes.has(inode))).map(Number);
  return pids.filter((pid) => pid !== process.pid).sort((a, b) => a - b);
}

export interface ListeningPort {
  port: number;
  /** The local address it listens on, as the kernel wrote it (hex): "00000000" (any IPv4), "0100007F" (127.0.0.1)… */
  addressHex: string;
  ipv6: boolean;
}

/**
 * The reverse lookup: the TCP ports the processes `pids` listen on, from their open socket inodes
 * (/proc/<pid>/fd → "socket:[inode]") matched against the LISTEN rows of /proc/net/tcp and tcp6. A port
 * listened on by both tables appears once per table. Sorted by port.
 */
export function findListeningPorts(pids: readonly number[], root = '/'): ListeningPort[] {
  const inodes = new Set(pids.flatMap((pid) => socketInodes(String(pid), root)));
  return readListenRows(root)
    .filter((r) => inodes.has(r.inode) && Number.isFinite(r.port))
    .map(({ port, addressHex, ipv6 }) => ({ port, addressHex, ipv6 }))
    .sort((a, b) => a.port - b.port);
}

/** A URL host that reaches a listening socket from this machine: loopback for a wildcard address, else the address itself. */
export function loopbackHostFor(p: ListeningPort): string {
  if (!p.ipv6) {
    if (p.addressHex === '00000000') return '127.0.0.1';
    // /proc writes the IPv4 address as one little-endian 32-bit word.
    const bytes = p.addressHex.match(/../g)?.map((b) => parseInt(b, 16)).reverse() ?? [];
    return bytes.join('.');
  }
  if (/^0+$/.test(p.addressHex)) return '127.0.0.1'; // [::] also takes IPv4 unless bindv6only
  if (p.addressHex === '00000000000000000000000001000000') return '[::1]';
  // An IPv4-mapped address (::ffff:a.b.c.d) reads as its IPv4 form; any other IPv6 address, in its groups.
  if (p.addressHex.startsWith('0000000000000000FFFF0000')) {
    return loopbackHostFor({ port: p.port, addressHex: p.addressHex.slice(24), ipv6: false });
  }
  const words = p.addressHex.match(/.{8}/g) ?? [];
  const groups = words.flatMap((w) => {
    const b = w.match(/../g)!.reverse().join('');
    return [b.slice(0, 4), b.slice(4)];
  });
  return `[${groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':')}]`;
}
