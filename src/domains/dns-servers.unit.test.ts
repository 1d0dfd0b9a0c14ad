import { loadConfig } from '../config';
import { parseDnsServers } from './dns-servers';

describe('parseDnsServers', () => {
  it.each([
    ['127.0.0.1', ['127.0.0.1']],
    ['127.0.0.1:5353', ['127.0.0.1:5353']],
    [' 127.0.0.1:5353 , ::1 ', ['127.0.0.1:5353', '::1']],
    ['[::1]:5353', ['[::1]:5353']],
    ['[::1]', ['[::1]']],
  ])('accepts %p', (text, servers) => {
    expect(parseDnsServers(text)).toEqual({ ok: true, servers });
  });

  it.each([
    ['a host name', 'dns.example'],
    ['a port out of range', '127.0.0.1:70000'],
    ['port zero', '127.0.0.1:0'],
    ['an IPv4 address in brackets', '[127.0.0.1]:53'],
    ['an IPv6 address with a bare port', '::1:53:x'],
    ['an empty list', ' , '],
    ['a bad octet', '300.1.1.1'],
  ])('refuses %s', (_name, text) => {
    expect(parseDnsServers(text)).toMatchObject({ ok: false });
  });
});

describe('SENDARIX_DNS_SERVERS', () => {
  it('is unset by default, which means the system resolver', () => {
    expect(loadConfig({}).SENDARIX_DNS_SERVERS).toBeUndefined();
  });

  it('parses into the list setServers takes', () => {
    const config = loadConfig({ SENDARIX_DNS_SERVERS: '127.0.0.1:5353,[::1]:53' });
    expect(config.SENDARIX_DNS_SERVERS).toEqual(['127.0.0.1:5353', '[::1]:53']);
  });

  it('stops start-up naming the variable when an entry is not an address', () => {
    expect(() => loadConfig({ SENDARIX_DNS_SERVERS: '127.0.0.1,ns.example' })).toThrow(/SENDARIX_DNS_SERVERS/);
  });
});
