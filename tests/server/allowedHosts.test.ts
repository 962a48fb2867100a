// Which Host headers the dashboard answers, for each way `serve` can be started.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHosts, allowedHostsFromEnv, hostAllowed, hostOfHeader } from '../../lib/server/allowedHosts';

describe('allowedHosts', () => {
  it('on loopback: only the loopback names, whatever the port', () => {
    const hosts = allowedHosts('127.0.0.1');
    for (const ok of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'localhost', 'LocalHost:80']) expect(hostAllowed(ok, hosts), ok).toBe(true);
    for (const bad of ['evil.example:3000', os.hostname(), '127.0.0.1.evil.example', 'localhost.evil.example:3000']) expect(hostAllowed(bad, hosts), bad).toBe(false);
  });

  it('on every interface: also this machine’s name and each of its addresses, and the names added', () => {
    const hosts = allowedHosts('0.0.0.0', ['bench.lan']);
    expect(hostAllowed(`${os.hostname()}:3000`, hosts)).toBe(true);
    for (const a of Object.values(os.networkInterfaces()).flat()) {
      if (!a) continue;
      const host = a.family === 'IPv6' ? `[${a.address.replace(/%.*$/, '')}]:3000` : `${a.address}:3000`;
      expect(hostAllowed(host, hosts), host).toBe(true);
    }
    expect(hostAllowed('bench.lan:3000', hosts)).toBe(true);
    expect(hostAllowed('evil.example', hosts)).toBe(false);
  });

  it('on one address: that address and loopback, not the other interfaces', () => {
    const hosts = allowedHosts('192.0.2.7', ['[2001:DB8::1]']);
    expect(hostAllowed('192.0.2.7:8080', hosts)).toBe(true);
    expect(hostAllowed('[2001:db8::1]:8080', hosts)).toBe(true);
    expect(hostAllowed('192.0.2.8:8080', hosts)).toBe(false);
  });

  it('travels through the environment, with loopback only when the server was started without it', () => {
    expect(allowedHostsFromEnv(allowedHosts('0.0.0.0', ['bench.lan']).join(','))).toEqual(allowedHosts('0.0.0.0', ['bench.lan']));
    expect(allowedHostsFromEnv(undefined)).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostsFromEnv(' ')).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });
});

describe('hostOfHeader', () => {
  it('reads the host part of a Host header, and nothing from a malformed one', () => {
    expect(hostOfHeader('Example.org:3000')).toBe('example.org');
    expect(hostOfHeader('[::1]:3000')).toBe('[::1]');
    for (const bad of [null, '', 'localhost@evil.example', 'evil.example/x', 'a b', 'localhost:99999', 'evil\\localhost']) expect(hostOfHeader(bad), String(bad)).toBeNull();
  });
});
