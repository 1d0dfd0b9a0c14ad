// A real DNS server on loopback (dns2, UDP and TCP on one port) that answers from a map the test controls, so
// that domain verification and DKIM checks run against real DNS traffic. A name not in the map is NXDOMAIN; a
// name in the map without records of the asked type answers NOERROR with no answers (NODATA).
import { Resolver } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import DNS from 'dns2';

const { Packet } = DNS;

/** A TXT character-string holds at most 255 octets; longer values are split as DNS hosting panels do. */
const TXT_CHUNK_OCTETS = 255;
const RECORD_TTL_S = 1;
const LISTEN_ATTEMPTS = 5;
// RFC 1035 4.1.1 response codes (dns2 has them as Packet.RCODE, but its typings do not).
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;

export interface MxRecord {
  exchange: string;
  priority: number;
}

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as SENDARIX_DNS_SERVERS and `Resolver#setServers` take it. */
  address: string;
  port: number;
  /** Sets (or, with `undefined`, removes) the TXT records at `name`; each string is one record. */
  setTxt(name: string, records: string[] | undefined): void;
  setMx(name: string, records: MxRecord[] | undefined): void;
  /** Sets (or removes) the IPv4 addresses at `name`, for mail exchangers tests run on loopback. */
  setA(name: string, addresses: string[] | undefined): void;
  /** Makes every query for `name` answer SERVFAIL (or, with false, answer normally again). */
  setFailing(name: string, failing: boolean): void;
  /** Names asked, lowercased, in order. */
  queries: string[];
  stop(): Promise<void>;
}

interface Zone {
  txt?: string[];
  mx?: MxRecord[];
  a?: string[];
}

type Resource = InstanceType<typeof Packet.Resource>;

export async function startDnsServer(): Promise<TestDnsServer> {
  const zones = new Map<string, Zone>();
  const failing = new Set<string>();
  const queries: string[] = [];
  const key = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const zone = (name: string) => zones.get(key(name)) ?? {};
  const update = (name: string, patch: Zone) => {
    const next = { ...zone(name), ...patch };
    if (next.txt === undefined && next.mx === undefined && next.a === undefined) zones.delete(key(name));
    else zones.set(key(name), next);
  };

  const handle: DNS.DnsHandler = (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    if (!question) return void send(response);
    const name = key(question.name);
    queries.push(name);
    if (failing.has(name)) response.header.rcode = RCODE_SERVFAIL;
    else if (!zones.has(name)) response.header.rcode = RCODE_NXDOMAIN;
    else response.answers.push(...answers(question.name, question.type, zones.get(name) as Zone));
    void send(response);
  };

  const { udp, tcp, port } = await listenOnOnePort(handle);
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    setTxt: (name, records) => update(name, { txt: records }),
    setMx: (name, records) => update(name, { mx: records }),
    setA: (name, addresses) => update(name, { a: addresses }),
    setFailing: (name, on) => void (on ? failing.add(key(name)) : failing.delete(key(name))),
    stop: async () => {
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

export type MailauthResolver = (name: string, type: string) => Promise<string[][]>;

/** A resolver in the shape mailauth's `resolver` option takes, asking only this server. */
export function mailauthResolver(server: Pick<TestDnsServer, 'address'>): MailauthResolver {
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  resolver.setServers([server.address]);
  return async (name, type) => (await resolver.resolve(name, type)) as unknown as string[][];
}

function answers(name: string, type: number, zone: Zone): Resource[] {
  const base = { name, class: Packet.CLASS.IN, ttl: RECORD_TTL_S };
  if (type === Packet.TYPE.TXT) {
    return (zone.txt ?? []).map((value) => ({ ...base, type: Packet.TYPE.TXT, data: chunks(value) }) as Resource);
  }
  if (type === Packet.TYPE.MX) {
    return (zone.mx ?? []).map((mx) => ({ ...base, type: Packet.TYPE.MX, ...mx }) as Resource);
  }
  if (type === Packet.TYPE.A) {
    return (zone.a ?? []).map((address) => ({ ...base, type: Packet.TYPE.A, address }) as Resource);
  }
  return [];
}

function chunks(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += TXT_CHUNK_OCTETS) out.push(value.slice(i, i + TXT_CHUNK_OCTETS));
  return out.length > 0 ? out : [''];
}

/** UDP on a free port, then TCP on the same one (answers over 512 octets are retried over TCP). */
type Listening = { udp: DNS.UDPServer; tcp: DNS.TCPServer; port: number };

async function listenOnOnePort(handle: DNS.DnsHandler): Promise<Listening> {
  for (let attempt = 1; ; attempt++) {
    const udp = DNS.createUDPServer(handle);
    await udp.listen(0, '127.0.0.1');
    const port = (udp.address() as AddressInfo).port;
    const tcp = DNS.createTCPServer(handle);
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) return { udp, tcp, port };
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (attempt >= LISTEN_ATTEMPTS) throw new Error('dns server: no port free for both UDP and TCP');
  }
}
