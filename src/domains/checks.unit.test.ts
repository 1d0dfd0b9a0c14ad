// Checks run against a real DNS server on loopback, through the same Resolver the API uses.
import { startDnsServer, type TestDnsServer } from '../../test/support/dns-server';
import { checkDomainRecords, statusAfterChecks, type DomainChecks } from './checks';
import { dkimRecordValue } from './records';
import { createDnsResolver } from './resolver';

const HOST = 'mail.sendarix.example';
const config = { SENDARIX_HOSTNAME: HOST, SENDARIX_SPF_INCLUDE: undefined };
// A real key's length: its record spans two TXT character-strings.
const KEY = `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${'x'.repeat(348)}`;
let dns: TestDnsServer;
let n = 0;

beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.stop();
});

/** A fresh domain name per test, so records set by one test never answer another. */
function fresh() {
  n += 1;
  const domain = { name: `d${n}.example`, dkimSelector: 'sx20261204', dkimPublicKey: KEY };
  return { domain, dkimName: `sx20261204._domainkey.d${n}.example` };
}
const check = (domain: ReturnType<typeof fresh>['domain']): Promise<DomainChecks> =>
  checkDomainRecords(createDnsResolver([dns.address]), domain, config);

describe('checkDomainRecords', () => {
  it('reports every record missing while DNS has none, and the domain fails', async () => {
    const { domain } = fresh();
    const checks = await check(domain);
    expect([checks.dkim.status, checks.spf.status, checks.dmarc.status, checks.return_path.status])
      .toEqual(['missing', 'missing', 'missing', 'missing']);
    expect(statusAfterChecks(checks, 'pending')).toBe('failed');
  });

  it('passes every record once they are published, and the domain is verified', async () => {
    const { domain, dkimName } = fresh();
    dns.setTxt(dkimName, [dkimRecordValue(KEY)]);
    dns.setTxt(domain.name, ['google-site-verification=abc', `v=spf1 mx a:${HOST} ~all`]);
    dns.setTxt(`_dmarc.${domain.name}`, ['v=DMARC1; p=quarantine; rua=mailto:d@example.com']);
    dns.setMx(HOST, [{ exchange: HOST, priority: 10 }]);
    const checks = await check(domain);
    expect(checks.dkim).toMatchObject({ status: 'pass', name: dkimName, found: [dkimRecordValue(KEY)] });
    expect(checks.spf).toMatchObject({ status: 'pass', found: [`v=spf1 mx a:${HOST} ~all`] });
    expect(checks.dmarc).toMatchObject({ status: 'pass', message: 'DMARC policy p=quarantine' });
    expect(checks.return_path).toMatchObject({ status: 'pass', found: [`10 ${HOST}`] });
    expect(statusAfterChecks(checks, 'pending')).toBe('verified');
    dns.setMx(HOST, undefined);
  });

  it('accepts a key record written with spaces inside p= and without v= or k=', async () => {
    const { domain, dkimName } = fresh();
    dns.setTxt(dkimName, [`p=${KEY.slice(0, 100)} ${KEY.slice(100)}`]);
    expect((await check(domain)).dkim.status).toBe('pass');
  });

  it.each([
    ['a different key', [dkimRecordValue(`${KEY}AB`)]],
    ['two key records', [dkimRecordValue(KEY), dkimRecordValue('MIIBother')]],
    ['another key type', [`v=DKIM1; k=ed25519; p=${KEY}`]],
  ])('fails DKIM for %s at the selector', async (_name, records) => {
    const { domain, dkimName } = fresh();
    dns.setTxt(dkimName, records);
    const checks = await check(domain);
    expect(checks.dkim.status).toBe('fail');
    expect(statusAfterChecks(checks, 'verified')).toBe('failed');
  });

  it.each([
    ['does not name Sendarix', ['v=spf1 include:other.example -all']],
    ['is published twice', [`v=spf1 a:${HOST} ~all`, 'v=spf1 mx ~all']],
  ])('fails SPF that %s, while DKIM alone still verifies', async (_name, records) => {
    const { domain, dkimName } = fresh();
    dns.setTxt(dkimName, [dkimRecordValue(KEY)]);
    dns.setTxt(domain.name, records);
    const checks = await check(domain);
    expect(checks.spf.status).toBe('fail');
    expect(statusAfterChecks(checks, 'pending')).toBe('verified');
  });

  it('looks for SENDARIX_SPF_INCLUDE when it is configured', async () => {
    const { domain } = fresh();
    dns.setTxt(domain.name, ['v=spf1 include:spf.sendarix.example ~all']);
    const withInclude = { ...config, SENDARIX_SPF_INCLUDE: 'spf.sendarix.example' };
    const checks = await checkDomainRecords(createDnsResolver([dns.address]), domain, withInclude);
    expect(checks.spf.status).toBe('pass');
  });

  it('reports a server failure as error and keeps the status the domain had', async () => {
    const { domain, dkimName } = fresh();
    dns.setFailing(dkimName, true);
    const checks = await check(domain);
    expect(checks.dkim.status).toBe('error');
    expect(checks.dkim.message).toContain('ESERVFAIL');
    expect(statusAfterChecks(checks, 'verified')).toBe('verified');
    expect(statusAfterChecks(checks, 'pending')).toBe('pending');
  });
});
