import { simpleParser } from 'mailparser';
import { relayIdempotencyKey, relayRequest } from './request';

const parse = (lines: string[]) => simpleParser(Buffer.from(lines.join('\r\n')));

describe('relayRequest', () => {
  it('takes From, subject, bodies, Reply-To, attachments and extra headers, for the envelope recipient', async () => {
    const parsed = await parse([
      'From: "Billing, Inc" <billing@shop.test>',
      'To: someone@else.test',
      'Reply-To: help@shop.test',
      'Subject: Invoice 42',
      'Message-ID: <i42@shop.test>',
      'X-Campaign: march',
      'Received: from x',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'See attached.',
      '--b',
      'Content-Type: application/pdf; name="a\\"b.pdf"',
      'Content-Disposition: attachment; filename="a\\"b.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0=',
      '--b--',
      '',
    ]);
    expect(relayRequest(parsed, 'buyer@example.com', 'envelope@shop.test')).toEqual({
      recipient: 'buyer@example.com',
      from: '"Billing, Inc" <billing@shop.test>',
      subject: 'Invoice 42',
      text: 'See attached.',
      reply_to: 'help@shop.test',
      headers: { 'X-Campaign': 'march' },
      attachments: [{ filename: 'a_b.pdf', content: 'JVBERi0=', content_type: 'application/pdf' }],
    });
  });

  it('falls back on MAIL FROM when the message has no From header', async () => {
    const parsed = await parse(['Subject: s', '', 'body']);
    expect(relayRequest(parsed, 'r@example.com', 'env@shop.test').from).toBe('env@shop.test');
  });
});

describe('relayIdempotencyKey', () => {
  it('is smtp:<Message-ID>:<recipient>, an X-Idempotency-Key header standing in for the Message-ID', async () => {
    const plain = await parse(['Message-ID: <a@b.test>', '', 'x']);
    expect(relayIdempotencyKey(plain, 'r@example.com')).toBe('smtp:<a@b.test>:r@example.com');
    const explicit = await parse(['Message-ID: <a@b.test>', 'X-Idempotency-Key: k-1', '', 'x']);
    expect(relayIdempotencyKey(explicit, 'r@example.com')).toBe('smtp:k-1:r@example.com');
  });

  it('is absent without a Message-ID, and hashed when it would not be printable ASCII', async () => {
    expect(relayIdempotencyKey(await parse(['Subject: s', '', 'x']), 'r@example.com')).toBeUndefined();
    const parsed = await parse(['Message-ID: <a@b.test>', '', 'x']);
    expect(relayIdempotencyKey(parsed, 'josé@example.com')).toMatch(/^smtp:sha256:[0-9a-f]{64}$/);
  });
});
