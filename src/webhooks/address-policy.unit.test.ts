import { classifyAddress, isPermitted, type AddressClass } from './address-policy';

describe('classifyAddress', () => {
  const cases: [string, string, AddressClass][] = [
    ['IPv4 public', '93.184.216.34', 'public'],
    ['IPv4 public next to a private range', '172.32.0.1', 'public'],
    ['IPv4 public just below CGNAT', '100.63.255.255', 'public'],
    ['IPv4 loopback', '127.0.0.1', 'loopback'],
    ['IPv4 loopback, anywhere in 127/8', '127.255.10.3', 'loopback'],
    ['IPv4 private 10/8', '10.1.2.3', 'private'],
    ['IPv4 private 172.16/12, low end', '172.16.0.1', 'private'],
    ['IPv4 private 172.16/12, high end', '172.31.255.254', 'private'],
    ['IPv4 private 192.168/16', '192.168.1.1', 'private'],
    ['IPv4 CGNAT 100.64/10', '100.64.0.1', 'cgnat'],
    ['IPv4 CGNAT, high end', '100.127.255.255', 'cgnat'],
    ['IPv4 link-local', '169.254.10.20', 'link_local'],
    ['IPv4 cloud metadata', '169.254.169.254', 'metadata'],
    ['IPv4 multicast', '224.0.0.251', 'multicast'],
    ['IPv4 multicast, high end', '239.255.255.250', 'multicast'],
    ['IPv4 unspecified', '0.0.0.0', 'unspecified'],
    ['IPv4 "this network"', '0.1.2.3', 'unspecified'],
    ['IPv4 broadcast', '255.255.255.255', 'reserved'],
    ['IPv4 documentation', '192.0.2.10', 'reserved'],
    ['IPv4 benchmarking', '198.18.0.1', 'reserved'],
    ['IPv6 public', '2606:4700:4700::1111', 'public'],
    ['IPv6 public, upper case', '2A00:1450:4001:81C::200E', 'public'],
    ['IPv6 loopback', '::1', 'loopback'],
    ['IPv6 loopback, written out', '0:0:0:0:0:0:0:1', 'loopback'],
    ['IPv6 loopback in brackets', '[::1]', 'loopback'],
    ['IPv6 unspecified', '::', 'unspecified'],
    ['IPv6 unique local fc00::/7', 'fd12:3456:789a::1', 'private'],
    ['IPv6 unique local, fc half', 'fc00::1', 'private'],
    ['IPv6 link-local', 'fe80::1', 'link_local'],
    ['IPv6 link-local with a zone', 'fe80::1%eth0', 'link_local'],
    ['IPv6 site-local (deprecated)', 'fec0::1', 'private'],
    ['IPv6 multicast', 'ff02::1', 'multicast'],
    ['IPv6 cloud metadata', 'fd00:ec2::254', 'metadata'],
    ['IPv6 documentation', '2001:db8::1', 'reserved'],
    ['IPv6 Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['IPv6 discard prefix', '100::1', 'reserved'],
    ['IPv4-mapped IPv6 loopback', '::ffff:127.0.0.1', 'loopback'],
    ['IPv4-mapped IPv6 loopback, hex words', '::ffff:7f00:1', 'loopback'],
    ['IPv4-mapped IPv6 metadata', '::ffff:169.254.169.254', 'metadata'],
    ['IPv4-mapped IPv6 private', '::ffff:10.0.0.5', 'private'],
    ['IPv4-mapped IPv6 public', '::ffff:93.184.216.34', 'public'],
    ['IPv4-compatible IPv6 loopback', '::127.0.0.1', 'loopback'],
    ['NAT64 of a private address', '64:ff9b::192.168.0.1', 'private'],
    ['NAT64 of a public address', '64:ff9b::5db8:d822', 'public'],
    ['6to4 of loopback', '2002:7f00:1::1', 'loopback'],
    ['6to4 of a public address', '2002:5db8:d822::1', 'public'],
    ['not an address', 'example.com', 'invalid'],
    ['IPv4 with a fifth part', '1.2.3.4.5', 'invalid'],
  ];

  it.each(cases)('%s: %s is %s', (_name, address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('isPermitted', () => {
  it.each<[AddressClass, boolean, boolean]>([
    ['public', false, true],
    ['loopback', false, false],
    ['private', false, false],
    ['cgnat', false, false],
    ['link_local', false, false],
    ['loopback', true, true],
    ['private', true, true],
    ['cgnat', true, true],
    ['link_local', true, true],
    ['metadata', true, false],
    ['multicast', true, false],
    ['unspecified', true, false],
    ['reserved', true, false],
    ['invalid', true, false],
  ])('%s with allowPrivate=%s is permitted: %s', (kind, allowPrivate, expected) => {
    expect(isPermitted(kind, allowPrivate)).toBe(expected);
  });
});
