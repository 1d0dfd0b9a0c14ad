// Signing on real parts: real nodemailer builds and signs the message, and mailauth verifies it against a real
// DNS server on loopback. The database lookup in front of this is covered by the domains integration test.
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import nodemailer from 'nodemailer';
import { mailauthResolver, startDnsServer, type TestDnsServer } from '../../test/support/dns-server';
import { composeMail } from '../mail/compose';
import type { MessageContent } from '../mail/content';
import { dkimSelector, generateDkimKeyPair, type DkimKeyPair } from './keys';
import { dkimRecordName, dkimRecordValue } from './records';
import { dkimOptions, type DkimOptions } from './signing';

const DOMAIN = 'signed.example';
const selector = dkimSelector(new Date());
let dns: TestDnsServer;
let keys: DkimKeyPair;
let options: DkimOptions;

beforeAll(async () => {
  dns = await startDnsServer();
  keys = await generateDkimKeyPair();
  options = dkimOptions({ name: DOMAIN, dkimSelector: selector, dkimPrivateKey: keys.privateKeyPem });
  dns.setTxt(dkimRecordName({ name: DOMAIN, dkimSelector: selector }), [dkimRecordValue(keys.publicKeyBase64)]);
});
afterAll(async () => {
  await dns?.stop();
});

const content: MessageContent = {
  from: { name: 'Shop', address: `billing@${DOMAIN}`, display: `billing@${DOMAIN}`, utf8Local: false },
  to: { address: 'user@receiver.example', display: 'user@receiver.example', utf8Local: false },
  replyTo: [],
  subject: 'Your invoice',
  text: 'Invoice 42 is attached.',
  html: '<p>Invoice 42 is attached.</p>',
  headers: { 'List-Unsubscribe': '<https://shop.example/u/1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  attachments: [
    { filename: 'invoice.txt', contentType: 'text/plain', content: Buffer.from('total: 42').toString('base64') },
  ],
};

async function rawMessage(dkim: DkimOptions | undefined): Promise<string> {
  const mail = composeMail('msg_signing', content, { hostname: 'sendarix.localhost', createdAt: new Date(), dkim });
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(mail);
  return (info.message as Buffer).toString('utf8');
}

/** The header names a message's DKIM-Signature covers (its h= tag), lowercased, read from the wire form. */
function signedHeaderNames(raw: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
  const signature = head.split(/\r?\n/).find((line) => /^DKIM-Signature:/i.test(line)) ?? '';
  return (/[;\s]h=([^;]+)/.exec(signature)?.[1] ?? '').split(':').map((h) => h.trim().toLowerCase());
}

const verify = async (raw: string) => (await dkimVerify(Buffer.from(raw), { resolver: mailauthResolver(dns) })).results;

describe('dkimOptions', () => {
  it('names the domain and selector, and the headers to sign', () => {
    expect(options).toMatchObject({ domainName: DOMAIN, keySelector: selector });
    expect(String(options.headerFieldNames).split(':')).toEqual(expect.arrayContaining(
      ['From', 'To', 'Subject', 'Date', 'Message-ID', 'List-Unsubscribe', 'List-Unsubscribe-Post'],
    ));
  });
});

describe('a message composed with DKIM options', () => {
  it('carries a DKIM-Signature that mailauth verifies as pass, covering the required headers', async () => {
    const raw = await rawMessage(options);
    const results = await verify(raw);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ signingDomain: DOMAIN, selector, status: { result: 'pass' } });
    expect(signedHeaderNames(raw)).toEqual(expect.arrayContaining(
      ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post'],
    ));
  });

  it.each([
    ['Subject', 'Subject: Your invoice', 'Subject: Your refund'],
    [
      'List-Unsubscribe',
      'List-Unsubscribe: <https://shop.example/u/1>',
      'List-Unsubscribe: <https://evil.example/u/1>',
    ],
  ])('fails verification once the %s header is changed', async (_name, original, changed) => {
    const raw = await rawMessage(options);
    expect(raw).toContain(original);
    expect((await verify(raw.replace(original, changed)))[0]?.status.result).toBe('fail');
  });

  it('fails verification against a key that is not the published one', async () => {
    const other = await generateDkimKeyPair();
    const wrongKey = dkimOptions({ name: DOMAIN, dkimSelector: selector, dkimPrivateKey: other.privateKeyPem });
    const raw = await rawMessage(wrongKey);
    expect((await verify(raw))[0]?.status.result).toBe('fail');
  });

  it('is not signed without DKIM options', async () => {
    expect(await rawMessage(undefined)).not.toMatch(/^DKIM-Signature:/im);
  });
});
