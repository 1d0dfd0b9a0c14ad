// The DNS resolver for sender-domain checks: SENDARIX_DNS_SERVERS when set, else the system's servers.
import { Resolver } from 'node:dns/promises';

/** Per-query timeout; with the retries a check answers within a few seconds even when a server is silent. */
export const DNS_QUERY_TIMEOUT_MS = 2_000;
const DNS_TRIES = 2;

/** The lookups the checks make; a node:dns/promises Resolver is one. */
export type DnsLookups = Pick<Resolver, 'resolveTxt' | 'resolveMx'>;

export function createDnsResolver(servers?: readonly string[]): Resolver {
  const resolver = new Resolver({ timeout: DNS_QUERY_TIMEOUT_MS, tries: DNS_TRIES });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

/** Answers that mean "the record is not there", as opposed to a server that did not answer. */
const NO_RECORD_CODES = new Set(['ENODATA', 'ENOTFOUND']);

export type LookupResult<T> = { kind: 'found'; records: T[] } | { kind: 'none' } | { kind: 'error'; code: string };

/** Runs one lookup, telling a missing record apart from DNS trouble. */
export async function lookup<T>(query: () => Promise<T[]>): Promise<LookupResult<T>> {
  try {
    const records = await query();
    return records.length > 0 ? { kind: 'found', records } : { kind: 'none' };
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? 'EUNKNOWN');
    return NO_RECORD_CODES.has(code) ? { kind: 'none' } : { kind: 'error', code };
  }
}

/** TXT records at `name`, each record's character-strings joined as RFC 7208 and RFC 6376 read them. */
export function lookupTxt(dns: DnsLookups, name: string): Promise<LookupResult<string>> {
  return lookup(async () => (await dns.resolveTxt(name)).map((chunks) => chunks.join('')));
}
