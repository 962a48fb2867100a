// The Host header values the dashboard answers: only the names and addresses it was started for, so that a
// page on another site whose name is re-pointed at this machine (DNS rebinding) cannot read it.
import os from 'node:os';
import net from 'node:net';

/** Environment variable `serve` hands the list to the server in (comma-separated host names, no ports). */
export const ALLOWED_HOSTS_ENV = 'WATTBENCH_ALLOWED_HOSTS';

/** The names a browser on this machine uses for loopback. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** True for a bind address that listens on every interface. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** A name or address as it appears in a Host header's host part: lower case, IPv6 in brackets. */
export function hostHeaderName(host: string): string {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return net.isIPv6(bare) ? `[${bare}]` : bare;
}

/** This machine's host name and every address of its interfaces. */
function machineNames(): string[] {
  const names = [os.hostname()];
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) names.push(a.address.replace(/%.*$/, ''));
  }
  return names;
}

/**
 * The Host names to accept for a server bound to `bindHost`: loopback's names always (the CLI and a local
 * browser use them), the bind address itself, every address and the name of this machine when it listens on
 * all interfaces, and the names the user added (`--allowed-host`, e.g. a DNS name or a reverse proxy's).
 */
export function allowedHosts(bindHost: string, extra: readonly string[] = []): string[] {
  const names: string[] = [...LOOPBACK_HOSTS];
  if (isWildcard(bindHost)) names.push(...machineNames());
  else names.push(bindHost);
  names.push(...extra);
  return [...new Set(names.filter((n) => n.trim() !== '').map(hostHeaderName))];
}

/** The list `serve` passes to the server, read back; loopback's names when the server was started some other way. */
export function allowedHostsFromEnv(value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(hostHeaderName);
  return list.length ? list : [...LOOPBACK_HOSTS];
}

/**
 * The host part of a Host header ("example.org:3000" → "example.org", "[::1]:3000" → "[::1]"), parsed with the
 * URL API; null when the header is missing or is not a plain host[:port].
 */
export function hostOfHeader(header: string | null): string | null {
  if (!header || /[\s/\\?#@]/.test(header)) return null;
  try {
    const url = new URL(`http://${header}`);
    return url.hostname === '' ? null : url.hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Whether a request's Host header names one of `allowed`. */
export function hostAllowed(header: string | null, allowed: readonly string[]): boolean {
  const host = hostOfHeader(header);
  return host !== null && allowed.includes(host);
}

/** The one line a request for another Host name gets (421): the fix, but not the names this server answers. */
export const MISDIRECTED_BODY = 'wattbench: this dashboard does not answer to that host name; start `wattbench serve` with --allowed-host <name> to allow it\n';
