import os from 'node:os';

/** This machine's addresses a laptop in the room can reach: IPv4 first, then global IPv6 (no loopback, no link-local). */
export function lanAddresses(): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') v4.push(a.address);
      else if (!/^fe80:/i.test(a.address)) v6.push(a.address);
    }
  }
  return [...new Set([...v4, ...v6])];
}

/** An address as the host part of a URL ("[fd00::1]" for IPv6). */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
