// Which IP addresses a webhook may be posted to. Every address is classified once here; only `public` ones are
// reachable by default, so a project cannot aim Sendarix at its own network, its metadata service or itself.
import net from 'node:net';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'metadata'
  | 'reserved'
  | 'invalid';

/** Classes that SENDARIX_WEBHOOK_ALLOW_PRIVATE lets through; metadata, multicast and the rest stay refused. */
const PRIVATE_CLASSES: readonly AddressClass[] = ['loopback', 'private', 'link_local', 'cgnat'];

type Range4 = [base: string, prefixBits: number, kind: AddressClass];

// First match wins: the metadata address sits inside link-local and must be seen first.
const IPV4_RANGES: Range4[] = [
  ['169.254.169.254', 32, 'metadata'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** Classifies an IPv4 or IPv6 literal; IPv6 forms that carry an IPv4 address are judged by that address. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (net.isIPv4(bare)) return classifyIpv4(ipv4ToInt(bare));
  if (net.isIPv6(bare)) return classifyIpv6(ipv6ToWords(bare));
  return 'invalid';
}

/** Whether an address of this class may be connected to. */
export function isPermitted(kind: AddressClass, allowPrivate: boolean): boolean {
  return kind === 'public' || (allowPrivate && PRIVATE_CLASSES.includes(kind));
}

function classifyIpv4(value: number): AddressClass {
  for (const [base, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if (((value & mask) >>> 0) === ((ipv4ToInt(base) & mask) >>> 0)) return kind;
  }
  return 'public';
}

function classifyIpv6(w: number[]): AddressClass {
  const first = w[0] as number;
  const embedded = (((w[6] as number) << 16) | (w[7] as number)) >>> 0;
  const zeroUpTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && w[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated) and 64:ff9b::a.b.c.d (NAT64) reach IPv4 hosts.
  if (zeroUpTo(5) && w[5] === 0xffff) return classifyIpv4(embedded);
  if (zeroUpTo(6)) return classifyIpv4(embedded);
  if (first === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return classifyIpv4(embedded);
  // 6to4 (2002::/16) carries the IPv4 address in its second and third words.
  if (first === 0x2002) return classifyIpv4((((w[1] as number) << 16) | (w[2] as number)) >>> 0);
  if (first === 0xfd00 && w[1] === 0x0ec2 && w.slice(2, 7).every((x) => x === 0) && w[7] === 0x254) return 'metadata';
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xffc0) === 0xfe80) return 'link_local';
  if ((first & 0xffc0) === 0xfec0) return 'private';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (first === 0x2001 && (w[1] === 0x0db8 || w[1] === 0)) return 'reserved'; // documentation; Teredo tunnels
  if (first === 0x0100 && w.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard prefix
  if ((first & 0xe000) !== 0x2000) return 'reserved'; // outside 2000::/3, nothing is globally routed
  return 'public';
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** The eight 16-bit words of a valid IPv6 literal (a trailing dotted IPv4 part included). */
function ipv6ToWords(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToInt(dotted[1] as string);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headWords = head ? head.split(':') : [];
  const tailWords = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - headWords.length - tailWords.length).fill('0');
  return [...headWords, ...fill, ...tailWords].map((x) => parseInt(x, 16));
}
