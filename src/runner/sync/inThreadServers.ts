/**
 * The local test servers (`startServer` of `rxjs-agents/testing/server`) listening on this
 * thread, so that `runSync()` can refuse at once to call one: it would block the very event loop
 * the server answers on, and wait out the SDK's timeout (ten minutes) for an answer that cannot
 * come.
 *
 * The registry lives on `globalThis` under a `Symbol.for` key, so that two copies of the package
 * (the testing entry from one, the runner from another) agree; `globalThis` is per thread, which
 * is the point: a server on another thread or process can answer.
 *
 * Internal to the runner and the local server.
 */

/** One listening server: its port and the address it is bound to. */
interface ListeningServer {
  readonly port: number;
  readonly address: string;
}

const registryKey = Symbol.for('rxjs-agents.testing.inThreadServers');

function registry(): Set<ListeningServer> {
  const holder = globalThis as { [registryKey]?: Set<ListeningServer> };
  return (holder[registryKey] ??= new Set());
}

/**
 * Notes a server listening on this thread at `address`:`port`.
 *
 * @returns A function that forgets it (call it when the server closes).
 */
export function noteInThreadServer(address: string, port: number): () => void {
  const entry: ListeningServer = { address, port };
  registry().add(entry);
  return () => void registry().delete(entry);
}

const loopbackHost = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?|\[?::ffff:127(\.\d{1,3}){3}\]?)$/i;
const anyAddress = new Set(['0.0.0.0', '::', '']);

/**
 * Whether `baseURL` points at a server listening on this thread: the same port, on a loopback
 * host (or the very address the server is bound to).
 */
export function isInThreadServer(baseURL: string): boolean {
  const servers = registry();
  if (servers.size === 0) return false;
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return false;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  for (const server of servers) {
    if (server.port !== port) continue;
    const bound = server.address.replace(/^\[|\]$/g, '');
    if (host === bound || loopbackHost.test(host) || (anyAddress.has(bound) && loopbackHost.test(host))) return true;
  }
  return false;
}
