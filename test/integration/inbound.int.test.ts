// The way back, end to end: a message is delivered to the SMTP peer, then a receiving server's bounce (RFC 3464
// DSN) or a mailbox provider's complaint (ARF, RFC 5965) arrives on the inbound port, written by hand as MIME and
// sent with nodemailer. The message's status, its timeline, its webhooks and the suppression list follow.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../support/smtp-peer';

const BOUNCE_DOMAIN = 'sendarix.localhost';
let peer: SmtpPeer;
let sx: SendarixProcess;
let hooks: http.Server;
const hits: { type: string; data: { message_id: string } & Record<string, unknown> }[] = [];

beforeAll(async () => {
  hooks = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      hits.push(JSON.parse(raw));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  peer = await startSmtpPeer();
  sx = await startSendarix({
    smtpUrl: peer.url,
    env: { SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true', SENDARIX_WEBHOOK_TASK_QUEUE: `test-webhooks-${randomUUID()}` },
  });
  const url = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
  const eventTypes = ['message.bounced', 'message.complained', 'message.deferred'];
  const endpoint = await sx.api('POST', '/v1/webhooks', { url, event_types: eventTypes });
  expect(endpoint.status).toBe(201);
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
  hooks?.closeAllConnections();
  await new Promise((resolve) => hooks?.close(resolve));
});

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
const verp = (id: string) => `bounces+${id}@${BOUNCE_DOMAIN}`;
const headerBlock = (mail: ReceivedMail) => mail.raw.subarray(0, mail.raw.indexOf('\r\n\r\n') + 2).toString('latin1');

async function message(id: string) {
  return (await sx.api('GET', `/v1/messages/${id}`)).body;
}

async function status(id: string, wanted: string) {
  return eventually(async () => {
    const m = await message(id);
    return m.status === wanted ? m : undefined;
  }, 30_000, `message ${id} to become ${wanted}`);
}

/** Sends one message through the API and waits until the peer has it. */
async function delivered(recipient: string): Promise<{ id: string; mail: ReceivedMail }> {
  const body = { recipient, subject: 'Your receipt', text: 'Thanks for your order.' };
  const res = await sx.api('POST', '/v1/messages', body);
  expect(res.status).toBe(202);
  const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
  await status(res.body.message_id, 'delivered');
  return { id: res.body.message_id, mail };
}

/** Delivers to the inbound port as a receiving server would: null sender, opportunistic STARTTLS. */
async function report(to: string, raw: string, from = '') {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sx.inboundPort,
    secure: false,
    tls: { rejectUnauthorized: false }, // the embedded default's self-signed certificate
  });
  return transport.sendMail({ envelope: { from, to: [to] }, raw: raw.replace(/\r?\n/g, '\r\n') });
}

interface DsnFields {
  to: string;
  recipient: string;
  action: string;
  status: string;
  diagnostic: string;
  originalHeaders: string;
}

function dsn(opts: DsnFields): string {
  return `From: Mail Delivery System <MAILER-DAEMON@mx.receiver.test>
To: ${opts.to}
Subject: Undelivered Mail Returned to Sender
Date: Mon, 20 Apr 2026 10:00:00 +0000
Message-ID: <${randomUUID()}@mx.receiver.test>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"

--dsn-boundary
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.receiver.test. Your message could not be delivered.

--dsn-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.receiver.test
Arrival-Date: Mon, 20 Apr 2026 09:59:58 +0000

Final-Recipient: rfc822; ${opts.recipient}
Original-Recipient: rfc822;${opts.recipient}
Action: ${opts.action}
Status: ${opts.status}
Remote-MTA: dns; mailstore.receiver.test
Diagnostic-Code: smtp; ${opts.diagnostic}

--dsn-boundary
Content-Type: text/rfc822-headers

${opts.originalHeaders}
--dsn-boundary--
`;
}

function arf(opts: { to: string; recipient: string; original: string }): string {
  return `From: Feedback Loop <fbl@isp.test>
To: ${opts.to}
Subject: Complaint about a message
Date: Mon, 20 Apr 2026 11:00:00 +0000
Message-ID: <${randomUUID()}@isp.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf-boundary"

--arf-boundary
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for a message received from your network.

--arf-boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Rcpt-To: <${opts.recipient}>
Arrival-Date: Mon, 20 Apr 2026 10:30:00 +0000
Reported-Domain: sendarix.test

--arf-boundary
Content-Type: message/rfc822
Content-Disposition: inline

${opts.original}
--arf-boundary--
`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const lastEvent = (m: { events: any[] }) => m.events[m.events.length - 1];

async function webhookFor(type: string, messageId: string) {
  const hit = async () => (hits.some((h) => h.type === type && h.data.message_id === messageId) ? true : undefined);
  await eventually(hit, 30_000, `${type} webhook`);
}

async function nextSendEnds(recipient: string, wanted: string) {
  const res = await sx.api('POST', '/v1/messages', { recipient, subject: 'Again', text: 'Second message.' });
  const final = await status(res.body.message_id, wanted);
  return final;
}

describe('a late hard bounce (RFC 3464 DSN to the VERP address)', () => {
  it('marks the message bounced, suppresses the address, fires message.bounced, and records it once', async () => {
    const recipient = unique('gone');
    const { id, mail } = await delivered(recipient);
    const diagnostic = '550 5.1.1 <user> User unknown';
    const originalHeaders = headerBlock(mail);
    const raw = dsn({ to: verp(id), recipient, action: 'failed', status: '5.1.1', diagnostic, originalHeaders });
    const info = await report(verp(id), raw);
    expect(info.response).toBe(`250 2.0.0 Recorded bounced for ${id}`);

    const bounced = await status(id, 'bounced');
    expect(lastEvent(bounced)).toMatchObject({
      type: 'message.bounced',
      data: {
        source: 'dsn', bounce_type: 'hard', action: 'failed', status: '5.1.1', final_recipient: recipient,
        remote_mta: 'mailstore.receiver.test', reporting_mta: 'mx.receiver.test', newly_suppressed: true,
        smtp: { kind: 'permanent', responseCode: 550, enhancedStatus: '5.1.1' },
      },
    });
    const entry = await sx.api('GET', `/v1/suppressions/${encodeURIComponent(recipient)}`);
    expect(entry.body).toMatchObject({ reason: 'hard_bounce', source: 'bounce', message_id: id });
    await webhookFor('message.bounced', id);

    const again = await report(verp(id), raw);
    expect(again.response).toBe(`250 2.0.0 Recorded bounced for ${id}`);
    expect((await message(id)).events.filter((e: { type: string }) => e.type === 'message.bounced')).toHaveLength(1);

    const next = await nextSendEnds(recipient, 'suppressed');
    expect(lastEvent(next)).toMatchObject({ type: 'message.suppressed', data: { reason: 'hard_bounce' } });
  });

  it('records a delayed DSN as deferred information only', async () => {
    const recipient = unique('slow');
    const { id, mail } = await delivered(recipient);
    const diagnostic = '421 4.4.1 try again later';
    const originalHeaders = headerBlock(mail);
    const raw = dsn({ to: verp(id), recipient, action: 'delayed', status: '4.4.1', diagnostic, originalHeaders });
    await report(verp(id), raw);
    const after = await eventually(async () => {
      const m = await message(id);
      return m.events.some((e: { type: string }) => e.type === 'message.deferred') ? m : undefined;
    }, 30_000, 'deferred event');
    expect(after.status).toBe('delivered');
    expect(lastEvent(after).data).toMatchObject({ source: 'dsn', action: 'delayed', status: '4.4.1' });
    expect((await sx.api('GET', `/v1/suppressions/${encodeURIComponent(recipient)}`)).status).toBe(404);
  });
});

describe('a complaint (ARF feedback report to the feedback address)', () => {
  it('finds the message by its attached original, marks it complained, suppresses, fires the webhook', async () => {
    const recipient = unique('annoyed');
    const { id, mail } = await delivered(recipient);
    // To a feedback mailbox, not the VERP address, and without Original-Mail-From: only the attached copy names it.
    const feedbackBox = `fbl@${BOUNCE_DOMAIN}`;
    const raw = arf({ to: feedbackBox, recipient, original: mail.raw.toString('latin1') });
    const info = await report(feedbackBox, raw, 'fbl@isp.test');
    expect(info.response).toBe(`250 2.0.0 Recorded complained for ${id}`);

    const complained = await status(id, 'complained');
    expect(lastEvent(complained)).toMatchObject({
      type: 'message.complained',
      data: { source: 'feedback_report', feedback_type: 'abuse', user_agent: 'ExampleFBL/1.0', newly_suppressed: true },
    });
    const entry = await sx.api('GET', `/v1/suppressions/${encodeURIComponent(recipient)}`);
    expect(entry.body).toMatchObject({ reason: 'complaint', source: 'complaint', message_id: id });
    await webhookFor('message.complained', id);
    const next = await nextSendEnds(recipient, 'suppressed');
    expect(lastEvent(next)).toMatchObject({ type: 'message.suppressed', data: { reason: 'complaint' } });
  });
});

describe('what the inbound listener does not use', () => {
  /** The kept file whose content has `text`, if any. */
  const keptWith = async (text: string) => {
    const dir = path.join(sx.dataDir, 'inbound-unparsed');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
    return files.find((f) => fs.readFileSync(f, 'utf8').includes(text));
  };

  it('keeps an unparseable message in the data folder, logs its file, and still answers 250', async () => {
    const marker = randomUUID();
    const postmaster = `postmaster@${BOUNCE_DOMAIN}`;
    const raw = `From: someone@elsewhere.test\nTo: ${postmaster}\nSubject: hello\n\nNot a report ${marker}\n`;
    const info = await report(postmaster, raw, 'someone@elsewhere.test');
    expect(info.response).toMatch(/^250 /);
    const file = await eventually(async () => keptWith(marker), 10_000, 'kept file');
    expect(path.basename(file)).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z(-\d+)?\.eml$/);
    // The file is written before its log line reaches the harness through the process's stdout.
    const logged = await eventually(
      async () => (sx.logs.some((l) => l.includes('inbound mail kept unparsed') && l.includes(file)) ? true : undefined),
      10_000,
      'log line naming the kept file',
    );
    expect(logged).toBe(true);
  });

  it('keeps a DSN about a message it does not know', async () => {
    const unknown = 'msg_aaaaaaaaaaaaaaaaaaaaaaaaaa';
    const fields = { recipient: 'x@example.com', action: 'failed', status: '5.1.1', diagnostic: '550 no' };
    const raw = dsn({ to: verp(unknown), ...fields, originalHeaders: 'Subject: x\n' });
    await report(verp(unknown), raw);
    await eventually(async () => keptWith(verp(unknown)), 10_000, 'kept file');
  });

  it('refuses mail for any address outside the bounce domain', async () => {
    const sent = report('someone@example.com', 'Subject: relay?\n\nrelay me\n', 'spammer@elsewhere.test');
    const err = await sent.then(() => undefined, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(550);
  });
});
