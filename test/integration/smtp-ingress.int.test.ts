// The SMTP relay ingress end to end: two independent clients (nodemailer, Python's smtplib) submit through
// STARTTLS with an API key, each accepted recipient becomes a message of the pipeline and reaches the SMTP peer
// with its original body; bad keys, oversized messages, refused senders, retries and a Temporal outage get the
// replies a client can act on.
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { findTemporalCli } from '../../src/temporal/cli';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { sendWithPython } from '../support/python-smtp';
import { eventually, startSendarix, TEST_API_KEY, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

const MAX_BYTES = 256 * 1024;
const SENDER = 'tests@sendarix.test';
let peer: SmtpPeer;
let sx: SendarixProcess;

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({
    smtpUrl: peer.url,
    env: { SENDARIX_SMTP_MAX_BYTES: String(MAX_BYTES), SENDARIX_SMTP_ALLOW_INSECURE_AUTH: 'false' },
  });
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

function relay(port: number, pass = TEST_API_KEY, extra: Record<string, unknown> = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false }, // the embedded default's certificate is self-signed
    auth: { user: 'apikey', pass },
    ...extra,
  });
}

/** The MIME a client would send, built once so that what arrives can be compared with it byte for byte. */
async function mime(opts: Mail.Options): Promise<Buffer> {
  return new MailComposer(opts).compile().build();
}

const bodyOf = (raw: Buffer): Buffer => raw.subarray(raw.indexOf('\r\n\r\n') + 4);
const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
const acceptedIds = (reply: string): string[] => /^250 2\.0\.0 Accepted: (.*)$/.exec(reply)?.[1]?.split(' ') ?? [];

async function finalState(id: string, status: string) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`);
    return res.body.status === status ? res.body : undefined;
  }, 30_000, `message ${id} to become ${status}`);
}

interface SmtpFailure {
  responseCode?: number;
  response?: string;
  command?: string;
}

async function smtpError(send: Promise<unknown>): Promise<SmtpFailure> {
  const err = await send.then(() => undefined, (e: unknown) => e as SmtpFailure);
  if (!err) throw new Error('the relay accepted what it should have refused');
  return err;
}

describe('nodemailer through STARTTLS', () => {
  it('makes one message per recipient, names them in the 250 reply, and delivers the original body', async () => {
    const [a, b] = [unique('relay-a'), unique('relay-b')];
    const raw = await mime({
      from: `Relay Tests <${SENDER}>`,
      to: [a, b],
      subject: 'Relayed over SMTP',
      text: 'Plain part of the relayed message.',
      html: '<p>HTML part of the <b>relayed</b> message.</p>',
      attachments: [{ filename: 'note.txt', content: 'attached text' }],
      headers: { 'X-Client-Header': 'kept' },
    });
    const info = await relay(sx.smtpPort).sendMail({ envelope: { from: SENDER, to: [a, b] }, raw });
    const ids = acceptedIds(info.response);
    expect(ids).toHaveLength(2);
    for (const [recipient, id] of [[a, ids[0]], [b, ids[1]]] as [string, string][]) {
      const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
      expect(mail.envelope.from).toBe(`bounces+${id}@sendarix.localhost`);
      expect(mail.envelope.to).toEqual([recipient]);
      expect(bodyOf(mail.raw).equals(bodyOf(raw))).toBe(true);
      expect(mail.parsed.headers.get('x-sendarix-message-id')).toBe(id);
      expect(mail.parsed.headers.get('x-client-header')).toBe('kept');
      expect(mail.parsed.attachments.map((x) => x.filename)).toEqual(['note.txt']);
      const message = await finalState(id, 'delivered');
      expect(message.recipient).toBe(recipient);
      expect(message.subject).toBe('Relayed over SMTP');
      const types = message.events.map((e: { type: string }) => e.type);
      expect(types).toEqual(['message.queued', 'message.accepted', 'message.delivered']);
    }
  });

  it('refuses AUTH before STARTTLS', async () => {
    const err = await smtpError(relay(sx.smtpPort, TEST_API_KEY, { requireTLS: false, ignoreTLS: true }).sendMail({
      from: SENDER, to: unique('plain'), subject: 'x', text: 'x',
    }));
    expect(err.responseCode).toBe(538);
  });

  it('answers 535 to an unknown key and to a key without the send scope', async () => {
    const mail = () => ({ from: SENDER, to: unique('k'), subject: 'x', text: 'x' });
    const bad = await smtpError(relay(sx.smtpPort, 'sk_live_notakeyatall0000000000000000').sendMail(mail()));
    expect(bad.responseCode).toBe(535);
    const readOnly = await sx.api('POST', '/v1/keys', { label: 'reader', scopes: ['read'] });
    expect(readOnly.status).toBe(201);
    const scoped = await smtpError(relay(sx.smtpPort, readOnly.body.secret).sendMail(mail()));
    expect(scoped.responseCode).toBe(535);
    expect(scoped.response).toContain('send');
  });

  it('answers 552 to a message over the size limit and keeps nothing of it', async () => {
    const recipient = unique('big');
    const err = await smtpError(relay(sx.smtpPort).sendMail({
      from: SENDER,
      to: recipient,
      subject: 'Too big',
      text: 'x',
      attachments: [{ filename: 'big.bin', content: Buffer.alloc(MAX_BYTES * 2, 7) }],
    }));
    expect(err.responseCode).toBe(552);
    const list = await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`);
    expect(list.body.data).toHaveLength(0);
  });

  it('answers 553 to a MAIL FROM domain the project may not send from', async () => {
    const err = await smtpError(relay(sx.smtpPort).sendMail({
      envelope: { from: 'someone@unverified.example', to: [unique('s')] }, from: SENDER, subject: 'x', text: 'x',
    }));
    expect(err.responseCode).toBe(553);
    expect(err.command).toBe('MAIL FROM');
    expect(err.response).toContain('unverified.example');
  });

  it('answers 550 with the field errors when the message itself fails validation', async () => {
    const recipient = unique('invalid');
    const err = await smtpError(relay(sx.smtpPort).sendMail({
      envelope: { from: SENDER, to: [recipient] }, from: 'Spoof <ceo@unverified.example>', text: 'no subject either',
    }));
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/^550 5\.7\.1 Message refused: .*from: unverified\.example is not a verified sender/);
    expect(err.response).toContain('subject');
    const list = await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`);
    expect(list.body.data).toHaveLength(0);
  });

  it('creates nothing new when a client retries the same Message-ID', async () => {
    const recipient = unique('retry');
    const messageId = `<${randomUUID()}@client.test>`;
    const raw = await mime({ from: SENDER, to: recipient, subject: 'Retried', text: 'once only', messageId });
    const first = await relay(sx.smtpPort).sendMail({ envelope: { from: SENDER, to: [recipient] }, raw });
    const second = await relay(sx.smtpPort).sendMail({ envelope: { from: SENDER, to: [recipient] }, raw });
    expect(acceptedIds(second.response)).toEqual(acceptedIds(first.response));
    await finalState(acceptedIds(first.response)[0] as string, 'delivered');
    await new Promise((r) => setTimeout(r, 1500));
    expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(1);
    const list = await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`);
    expect(list.body.data).toHaveLength(1);
  });
});

describe("Python's smtplib", () => {
  const client = () => ({ host: '127.0.0.1', port: sx.smtpPort, username: 'apikey', mail_from: SENDER });

  it('sends through STARTTLS with AUTH and the message arrives with its body and Message-ID', async () => {
    const recipient = unique('python');
    const messageId = `<${randomUUID()}@python-client.test>`;
    const result = await sendWithPython({
      ...client(),
      password: TEST_API_KEY,
      rcpt_to: [recipient],
      message: {
        from: SENDER,
        to: recipient,
        subject: 'From Python',
        text: 'Sent by smtplib.\n',
        message_id: messageId,
        headers: { Bcc: 'hidden@example.com' },
      },
    });
    expect(result).toMatchObject({ stage: 'data', code: 250 });
    const [id] = acceptedIds(`250 ${result.reply}`);
    const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
    expect(bodyOf(mail.raw).equals(bodyOf(Buffer.from(result.raw as string)))).toBe(true);
    expect(mail.parsed.messageId).toBe(messageId);
    expect(mail.parsed.headers.get('x-sendarix-message-id')).toBe(id);
    expect(mail.raw.toString('latin1')).not.toMatch(/^Bcc:/im);
    await finalState(id as string, 'delivered');
  });

  it('gets 535 for a bad key', async () => {
    const result = await sendWithPython({
      ...client(),
      password: 'wrong',
      rcpt_to: [unique('p')],
      message: { from: SENDER, to: 'x@example.com', subject: 'x', text: 'x' },
    });
    expect(result).toMatchObject({ stage: 'auth', code: 535 });
  });
});

describe('with Temporal stopped', () => {
  let temporal: DevServer;
  let down: SendarixProcess;

  beforeAll(async () => {
    temporal = await startDevServer({ cliPath: findTemporalCli(process.env), uiPort: false });
    down = await startSendarix({ smtpUrl: peer.url, temporalAddress: temporal.address });
    await temporal.stop();
  });

  afterAll(async () => {
    await down?.stop();
    await temporal?.stop();
  });

  it('answers 451 and keeps nothing, so the client retries later', async () => {
    const recipient = unique('outage');
    const mail = { from: SENDER, to: recipient, subject: 'Later', text: 'x' };
    const err = await smtpError(relay(down.smtpPort).sendMail(mail));
    expect(err.responseCode).toBe(451);
    expect(err.response).toContain('temporal is unavailable');
    const list = await down.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`);
    expect(list.body.data).toHaveLength(0);
  });
});
