// Is a watched process a server whose requests can be counted? --endpoint names it; otherwise the TCP ports the
// processes listen on (findListeningPorts) are probed on this machine's loopback (probeEndpoint: Ollama,
// llama-server, other OpenAI-compatible). What is not a known server says why, for the record.
import { InputError } from '../errors/WattbenchError';
import { findListeningPids, findListeningPorts, loopbackHostFor } from '../endpoint/findListeningPids';
import { parseEndpoint, probeEndpoint } from '../endpoint/probeEndpoint';
import { endpointLocation } from '../endpoint/endpointLocation';
import type { WatchedServer } from './requestCounter';
import type { FoundProcess } from './findProcesses';
import type { NotCountedReason } from './notCountedReason';

const PROBE_TIMEOUT_MS = 2000;
/** Ports tried at most: a server listens on one or two; a process with dozens is not one we know. */
const MAX_PORTS = 8;

export type ServerLookup = { server: WatchedServer; reason: null } | { server: null; reason: NotCountedReason };

/**
 * --endpoint URL: a server of this machine (another host's requests spend another machine's energy: dividing this
 * one's by them would mean nothing) that answers; InputError (exit 2) otherwise, before anything is written.
 */
export async function probeNamedServer(endpoint: string): Promise<WatchedServer> {
  const url = parseEndpoint(endpoint);
  if ((await endpointLocation(url)) === 'remote') {
    throw new InputError(`--endpoint ${url.href} is served by another host: its requests' energy is spent there, not on this machine; run wattbench monitor on that machine`);
  }
  return { probe: await probeEndpoint(endpoint, { timeoutMs: PROBE_TIMEOUT_MS }), origin: 'flag' };
}

/** The processes serving --endpoint on this machine (its port's listeners), for a monitor given no --pid. */
export function processesOfEndpoint(endpoint: string, root = '/'): number[] {
  const url = parseEndpoint(endpoint);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const pids = findListeningPids(port, root);
  if (pids.length === 0) throw new InputError(`no process of this machine that wattbench can see listens on port ${port} (${url.href}); pass --pid N of the server as well`);
  return pids;
}

/** The server the processes run, found by their listening ports; or why there is none. */
export async function findServerOfProcesses(processes: readonly FoundProcess[], root = '/'): Promise<ServerLookup> {
  const who = processes.length === 1 ? `pid ${processes[0].pid} (${processes[0].name})` : `pids ${processes.map((p) => p.pid).join(', ')}`;
  const ports = findListeningPorts(processes.map((p) => p.pid), root);
  const unique = [...new Map(ports.map((p) => [p.port, p])).values()].slice(0, MAX_PORTS);
  if (unique.length === 0) return { server: null, reason: { code: 'notServer', params: { who } } };
  for (const port of unique) {
    try {
      const probe = await probeEndpoint(`http://${loopbackHostFor(port)}:${port.port}`, { timeoutMs: PROBE_TIMEOUT_MS });
      return { server: { probe, origin: 'port' }, reason: null };
    } catch {
      /* not an LLM server on this port: try the next */
    }
  }
  return { server: null, reason: { code: 'unknownServer', params: { who, ports: unique.map((p) => `:${p.port}`).join(', ') } } };
}
