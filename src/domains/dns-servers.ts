// SENDARIX_DNS_SERVERS: the name servers Sendarix asks when it checks a sender domain's records, written
// `ip[:port]` (IPv6 with a port as `[addr]:port`), comma-separated, in the form node:dns `setServers` takes.
import { isIP } from 'node:net';

const IPV6_WITH_PORT = /^\[([^\]]+)\](?::(\d+))?$/;
const IPV4_WITH_PORT = /^([0-9.]+)(?::(\d+))?$/;
const MAX_PORT = 65535;

export type ParseDnsServersResult = { ok: true; servers: string[] } | { ok: false; message: string };

/** Parses a comma-separated server list; every entry must be an IP address with an optional port. */
export function parseDnsServers(text: string): ParseDnsServersResult {
  const servers: string[] = [];
  for (const entry of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const server = parseServer(entry);
    if (!server) return { ok: false, message: `"${entry}" is not ip[:port] (IPv6 with a port as [addr]:port)` };
    servers.push(server);
  }
  if (servers.length === 0) return { ok: false, message: 'needs at least one ip[:port]' };
  return { ok: true, servers };
}

function parseServer(entry: string): string | undefined {
  if (isIP(entry) === 6) return entry;
  const match = IPV6_WITH_PORT.exec(entry) ?? IPV4_WITH_PORT.exec(entry);
  if (!match) return undefined;
  const [, address = '', port] = match;
  const family = isIP(address);
  if (family === 0 || (entry.startsWith('[') ? family !== 6 : family !== 4)) return undefined;
  if (port !== undefined && (Number(port) < 1 || Number(port) > MAX_PORT)) return undefined;
  return entry;
}
