// Sender domains end to end: the API makes the DKIM key and the records, verification asks a real DNS server
// on loopback, sending is refused from domains that are not verified, and the MIME the SMTP peer receives is
// signed so that mailauth verifies it against the same DNS server.
import { randomUUID } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { mailauthResolver, startDnsServer, type TestDnsServer } from '../support/dns-server';
import { eventually, startSendarix, type ApiResponse, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let dns: TestDnsServer;
let peer: SmtpPeer;
let sx: SendarixProcess;
/** Every API answer of this file, to show afterwards that none carried a private key. */
const answers: ApiResponse[] = [];

beforeAll(async () => {
  dns = await startDnsServer();
  peer = await startSmtpPeer();
  sx = await startSendarix({ smtpUrl: peer.url, env: { SENDARIX_DNS_SERVERS: dns.address } });
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
  await dns?.stop();
});

async function api(method: string, path: string, body?: unknown, key?: string): Promise<ApiResponse> {
  const res = await sx.api(method, path, body, key ? { authorization: `Bearer ${key}` } : {});
  answers.push(res);
  return res;
}

const uniqueDomain = () => `d-${randomUUID().slice(0, 8)}.example`;
const uniqueRecipient = () => `user-${randomUUID().slice(0, 8)}@receiver.example`;
const message = (from: string, recipient = uniqueRecipient()) =>
  ({ from, recipient, subject: 'Invoice 42', text: 'Total: 42' });
type DnsRecord = { purpose: string; type: string; name: string; value: string; required: boolean };
const record = (domain: { records: DnsRecord[] }, purpose: string) =>
  domain.records.find((r) => r.purpose === purpose) as DnsRecord;

async function newProject(environment: 'live' | 'test', defaultFrom?: string): Promise<string> {
  const body = { name: `p-${environment}`, environment, ...(defaultFrom ? { default_from: defaultFrom } : {}) };
  const res = await api('POST', '/v1/projects', body);
  expect(res.status).toBe(201);
  return res.body.api_key as string;
}

/** Adds a domain, publishes its DKIM key on the test DNS server and verifies it. */
async function verifiedDomain(key?: string) {
  const created = await api('POST', '/v1/domains', { name: uniqueDomain() }, key);
  expect(created.status).toBe(201);
  const dkim = record(created.body, 'dkim');
  dns.setTxt(dkim.name, [dkim.value]);
  const verified = await api('POST', `/v1/domains/${created.body.id}/verify`, undefined, key);
  expect(verified.body.status).toBe('verified');
  return verified.body;
}

/** The header names a message's DKIM-Signature covers (its h= tag), lowercased, read from the wire form. */
function signedHeaderNames(raw: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
  const signature = head.split(/\r?\n/).find((line) => /^DKIM-Signature:/i.test(line)) ?? '';
  return (/[;\s]h=([^;]+)/.exec(signature)?.[1] ?? '').split(':').map((h) => h.trim().toLowerCase());
}

async function expectNothingQueuedFor(recipient: string, key?: string) {
  const list = await api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`, undefined, key);
  expect(list.status).toBe(200);
  expect(list.body.data).toHaveLength(0);
}

describe('creating a domain', () => {
  it('answers the records to publish, pending, with a DKIM key of the documented shape', async () => {
    const name = uniqueDomain();
    const res = await api('POST', '/v1/domains', { name: name.toUpperCase() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^dom_/),
      name,
      status: 'pending',
      checks: null,
      verified_at: null,
    });
    const selector = res.body.dkim_selector as string;
    expect(selector).toMatch(/^sx\d{8}$/);
    expect(record(res.body, 'dkim')).toEqual({
      purpose: 'dkim',
      type: 'TXT',
      name: `${selector}._domainkey.${name}`,
      // The fixed prefix is the DER header of an RSA 2048 SubjectPublicKeyInfo.
      value: expect.stringMatching(/^v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA[A-Za-z0-9+/]+=*$/),
      required: true,
    });
    expect(record(res.body, 'spf')).toMatchObject({
      type: 'TXT',
      name,
      value: 'v=spf1 a:sendarix.localhost ~all',
      required: false,
    });
    expect(record(res.body, 'dmarc')).toMatchObject({ type: 'TXT', name: `_dmarc.${name}`, value: 'v=DMARC1; p=none' });
    expect(record(res.body, 'return_path'))
      .toMatchObject({ type: 'MX', name: 'sendarix.localhost', value: '10 sendarix.localhost' });

    const read = await api('GET', `/v1/domains/${res.body.id}`);
    expect(read.body).toEqual(res.body);
    const list = await api('GET', '/v1/domains');
    expect(list.body.data.map((d: { id: string }) => d.id)).toContain(res.body.id);
  });

  it('refuses the same domain twice in one project with 409', async () => {
    const name = uniqueDomain();
    expect((await api('POST', '/v1/domains', { name })).status).toBe(201);
    const again = await api('POST', '/v1/domains', { name });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('domain_already_exists');
  });

  it.each([['an address', 'me@example.com'], ['a single label', 'localhost'], ['a missing name', undefined]])(
    'refuses %s with 422 on name',
    async (_what, name) => {
      const res = await api('POST', '/v1/domains', { name });
      expect(res.status).toBe(422);
      expect(res.body.error.errors[0].field).toBe('name');
    },
  );
});

describe('verifying a domain', () => {
  it('fails while DNS lacks the DKIM record and succeeds once the DNS server serves it', async () => {
    const created = await api('POST', '/v1/domains', { name: uniqueDomain() });
    const id = created.body.id as string;
    const dkim = record(created.body, 'dkim');

    const failed = await api('POST', `/v1/domains/${id}/verify`);
    expect(failed.status).toBe(200);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.checks.dkim).toMatchObject({ status: 'missing', name: dkim.name });
    expect(dns.queries).toContain(dkim.name);

    dns.setTxt(dkim.name, [dkim.value]);
    const verified = await api('POST', `/v1/domains/${id}/verify`);
    expect(verified.body).toMatchObject({ status: 'verified', verified_at: expect.any(String) });
    expect(verified.body.checks)
      .toMatchObject({ dkim: { status: 'pass' }, spf: { status: 'missing' }, dmarc: { status: 'missing' } });
    expect((await api('GET', `/v1/domains/${id}`)).body.status).toBe('verified');
  });

  it('reports SPF and DMARC per record without letting them decide the status', async () => {
    const created = await api('POST', '/v1/domains', { name: uniqueDomain() });
    const spf = record(created.body, 'spf');
    dns.setTxt(spf.name, ['v=spf1 include:elsewhere.example -all']);
    dns.setTxt(record(created.body, 'dmarc').name, ['v=DMARC1; p=reject']);
    const checked = await api('POST', `/v1/domains/${created.body.id}/verify`);
    expect(checked.body.status).toBe('failed');
    expect(checked.body.checks)
      .toMatchObject({ spf: { status: 'fail' }, dmarc: { status: 'pass' }, dkim: { status: 'missing' } });

    dns.setTxt(spf.name, [spf.value]);
    const dkim = record(created.body, 'dkim');
    dns.setTxt(dkim.name, [dkim.value]);
    const verified = await api('POST', `/v1/domains/${created.body.id}/verify`);
    expect(verified.body.status).toBe('verified');
    expect(verified.body.checks.spf).toMatchObject({ status: 'pass', found: [spf.value] });
  });

  it('keeps a verified domain verified when the DNS server fails, reporting the error', async () => {
    const domain = await verifiedDomain();
    const dkim = record(domain, 'dkim');
    dns.setFailing(dkim.name, true);
    try {
      const res = await api('POST', `/v1/domains/${domain.id}/verify`);
      expect(res.body.status).toBe('verified');
      expect(res.body.checks.dkim.status).toBe('error');
    } finally {
      dns.setFailing(dkim.name, false);
    }
  });

  it('fails a verified domain whose DKIM record was removed', async () => {
    const domain = await verifiedDomain();
    dns.setTxt(record(domain, 'dkim').name, undefined);
    const res = await api('POST', `/v1/domains/${domain.id}/verify`);
    expect(res.body).toMatchObject({ status: 'failed', verified_at: null });
  });
});

describe('sending', () => {
  it('refuses a from on an unverified domain: 422 unverified_sender_domain naming it, nothing queued', async () => {
    const pending = await api('POST', '/v1/domains', { name: uniqueDomain() });
    for (const from of [`shop@${pending.body.name}`, 'shop@never-added.example']) {
      const req = message(from);
      const res = await api('POST', '/v1/messages', req);
      expect(res.status).toBe(422);
      expect(res.body.error.errors).toEqual([
        {
          field: 'from',
          code: 'unverified_sender_domain',
          message: expect.stringContaining(from.split('@')[1] as string),
        },
      ]);
      await expectNothingQueuedFor(req.recipient);
    }
  });

  it('signs a message from a verified domain so that mailauth verifies it, and a changed header fails', async () => {
    const domain = await verifiedDomain();
    const req = message(`Billing <billing@${domain.name.toUpperCase()}>`);
    const sent = await api('POST', '/v1/messages', req);
    expect(sent.status).toBe(202);
    const mail = await peer.waitFor((m) => m.envelope.to.includes(req.recipient), 30_000);
    const raw = mail.raw.toString('utf8');
    expect(raw).toMatch(/^DKIM-Signature:/im);

    const { results } = await dkimVerify(mail.raw, { resolver: mailauthResolver(dns) });
    expect(results).toHaveLength(1);
    expect(results[0])
      .toMatchObject({ signingDomain: domain.name, selector: domain.dkim_selector, status: { result: 'pass' } });
    expect(signedHeaderNames(raw)).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id']));

    const tampered = Buffer.from(raw.replace('Subject: Invoice 42', 'Subject: Invoice 43'));
    expect(tampered.equals(mail.raw)).toBe(false);
    expect((await dkimVerify(tampered, { resolver: mailauthResolver(dns) })).results[0]?.status.result).toBe('fail');
    await eventually(async () => {
      const read = await api('GET', `/v1/messages/${sent.body.message_id}`);
      return read.body.status === 'delivered' ? true : undefined;
    });
  });

  it('does not sign a message from the operator-trusted default sender domain', async () => {
    const req = { recipient: uniqueRecipient(), subject: 'Hello', text: 'Hi' };
    expect((await api('POST', '/v1/messages', req)).status).toBe(202);
    const mail = await peer.waitFor((m) => m.envelope.to.includes(req.recipient), 30_000);
    expect(mail.parsed.from?.value[0]?.address).toBe('tests@sendarix.test');
    expect(mail.raw.toString('utf8')).not.toMatch(/^DKIM-Signature:/im);
  });

  it('lets a project send from its default_from domain without a verified domain', async () => {
    const key = await newProject('live', 'Shop <shop@own-default.example>');
    const res = await api('POST', '/v1/messages', message('orders@own-default.example'), key);
    expect(res.status).toBe(202);
  });

  it('lets a test key send from the sandbox identity @sendarix.localhost, and not a live key', async () => {
    const testKey = await newProject('test');
    expect(testKey).toMatch(/^sk_test_/);
    const ok = message('app@sendarix.localhost');
    expect((await api('POST', '/v1/messages', ok, testKey)).status).toBe(202);
    await peer.waitFor((m) => m.envelope.to.includes(ok.recipient), 30_000);

    const liveKey = await newProject('live');
    for (const key of [liveKey, undefined]) {
      const refused = message('app@sendarix.localhost');
      const res = await api('POST', '/v1/messages', refused, key);
      expect(res.status).toBe(422);
      expect(res.body.error.errors[0]).toMatchObject({ field: 'from', code: 'unverified_sender_domain' });
      await expectNothingQueuedFor(refused.recipient, key);
    }
  });

  it('refuses a from on a domain once it is deleted', async () => {
    const domain = await verifiedDomain();
    const deleted = await api('DELETE', `/v1/domains/${domain.id}`);
    expect(deleted).toMatchObject({ status: 200, body: { id: domain.id, deleted: true } });
    expect((await api('GET', `/v1/domains/${domain.id}`)).status).toBe(404);
    expect((await api('DELETE', `/v1/domains/${domain.id}`)).status).toBe(404);
    const res = await api('POST', '/v1/messages', message(`shop@${domain.name}`));
    expect(res.body.error.errors[0]).toMatchObject({ field: 'from', code: 'unverified_sender_domain' });
  });
});

describe('another project', () => {
  it('sees another project\'s domain as 404 and cannot send from it', async () => {
    const domain = await verifiedDomain();
    const otherKey = await newProject('live');
    for (const [method, path] of [['GET', `/v1/domains/${domain.id}`], ['POST', `/v1/domains/${domain.id}/verify`],
      ['DELETE', `/v1/domains/${domain.id}`]] as const) {
      const res = await api(method, path, undefined, otherKey);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await api('GET', '/v1/domains', undefined, otherKey)).body.data).toEqual([]);
    const req = message(`shop@${domain.name}`);
    const res = await api('POST', '/v1/messages', req, otherKey);
    expect(res.body.error.errors[0]).toMatchObject({ field: 'from', code: 'unverified_sender_domain' });
    await expectNothingQueuedFor(req.recipient, otherKey);
    expect((await api('GET', `/v1/domains/${domain.id}`)).body.status).toBe('verified');
  });
});

describe('the private key', () => {
  it('appears in no API answer and no log line', () => {
    expect(answers.length).toBeGreaterThan(20);
    const pattern = /PRIVATE KEY|dkim_?private|privateKey/i;
    for (const res of answers) expect(JSON.stringify(res.body ?? '')).not.toMatch(pattern);
    expect(sx.logs.filter((line) => pattern.test(line))).toEqual([]);
  });
});
