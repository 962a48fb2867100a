// Whether an endpoint is served by this machine: its host is a loopback address or one of this machine's
// own addresses (resolved once, with a deadline, so an unresolvable name cannot hang a run). Only then can
// this machine's sensors and estimate say anything about the server's energy.
import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';

export type EndpointLocation = 'local' | 'remote';

export async function endpointLocation(url: URL, timeoutMs = 2000): Promise<EndpointLocation> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : await resolve(host, timeoutMs);
  if (addresses.length === 0) return 'remote';
  return addresses.every(isLocalAddress) ? 'local' : 'remote';
}

async function resolve(host: string, timeoutMs: number): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    return await Promise.race([dns.lookup(host, { all: true }).then((r) => r.map((a) => a.address), () => []), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function isLocalAddress(address: string): boolean {
  const a = address.replace(/^::ffff:/, '');
  if (a === '::1' || /^127\./.test(a) || a === '0.0.0.0' || a === '::') return true;
  const own = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.replace(/^::ffff:/, '')));
  return own.includes(a);
}
