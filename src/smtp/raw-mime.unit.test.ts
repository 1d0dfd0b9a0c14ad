import { rawForDelivery } from './raw-mime';

const OPTS = {
  messageId: 'msg_abc',
  messageIdHeader: 'X-Sendarix-Message-Id',
  hostname: 'sx.test',
  createdAt: new Date('2030-01-01T10:00:00Z'),
};
const BODY = '\r\n--b\r\nContent-Type: text/plain\r\n\r\nBcc: not a header, body text\r\n--b--\r\n';

function message(header: string[]): Buffer {
  return Buffer.from(`${header.join('\r\n')}\r\n${BODY}`, 'latin1');
}

const headerOf = (raw: Buffer) => raw.toString('latin1').slice(0, raw.indexOf('\r\n\r\n') + 2);

describe('rawForDelivery', () => {
  it('leaves the body byte for byte as the client sent it', () => {
    const raw = message(['From: a@x.test', 'Subject: hi', 'Content-Type: multipart/mixed; boundary=b']);
    const out = rawForDelivery(raw, OPTS);
    expect(out.subarray(out.indexOf('\r\n\r\n') + 2).toString('latin1')).toBe(BODY);
  });

  it('removes Bcc, Return-Path, X-Idempotency-Key and a client X-Sendarix-Message-Id, folded lines included', () => {
    const raw = message([
      'From: a@x.test',
      'Bcc: hidden@y.test,',
      '  other@y.test',
      'Return-Path: <a@x.test>',
      'X-Idempotency-Key: k1',
      'x-sendarix-message-id: msg_forged',
      'Subject: hi',
    ]);
    const out = headerOf(rawForDelivery(raw, OPTS));
    expect(out).not.toMatch(/hidden|other@y|Return-Path|X-Idempotency-Key|msg_forged/i);
    expect(out).toContain('From: a@x.test\r\nSubject: hi\r\n');
  });

  it("keeps the client's Message-ID and Date and adds Sendarix's id", () => {
    const raw = message(['Message-ID: <m1@client.test>', 'Date: Tue, 1 Jan 2030 09:00:00 +0000']);
    const out = headerOf(rawForDelivery(raw, OPTS));
    expect(out.match(/^Message-ID:/gim)).toHaveLength(1);
    expect(out).toContain('Message-ID: <m1@client.test>');
    expect(out).toContain('Date: Tue, 1 Jan 2030 09:00:00 +0000');
    expect(out.startsWith('X-Sendarix-Message-Id: msg_abc\r\n')).toBe(true);
  });

  it('adds a Message-ID and a Date when the client left them out, and extra headers', () => {
    const extra = { 'List-Unsubscribe': '<https://u.test/x>' };
    const out = headerOf(rawForDelivery(message(['From: a@x.test']), { ...OPTS, extra }));
    expect(out).toContain('Message-ID: <msg_abc@sx.test>\r\n');
    expect(out).toContain('Date: Tue, 01 Jan 2030 10:00:00 +0000\r\n');
    expect(out).toContain('List-Unsubscribe: <https://u.test/x>\r\n');
  });

  it('handles a message that is only a header block', () => {
    const out = rawForDelivery(Buffer.from('Subject: only headers\r\n'), OPTS).toString('latin1');
    expect(out.endsWith('Subject: only headers\r\n')).toBe(true);
  });
});
