// Hostile input against the real process: header injection in every header-bound field, template syntax in data,
// oversized and deeply nested bodies, slow clients, API key guessing, and secrets that must never reach the logs.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { AUTH_FAILURES_PER_MINUTE } from '../../src/api/rate-limit';
import { eventually, request, startSendarix, TEST_API_KEY, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

const SMTP_PASSWORD = `smtp-pass-${randomUUID()}`;
const SENDER = 'tests@sendarix.test';
const INJECTED = 'attacker@evil.example';
const MAX_BODY_BYTES = 50 * 1024 * 1024;
/** Node checks headersTimeout (30 s, src/runtime.ts) on a 30 s sweep: a slow client is cut within a minute. */
const SLOW_CLIENT_CUT_MS = 65_000;

let peer: SmtpPeer;
let sx: SendarixProcess;

beforeAll(async () => {
  peer = await startSmtpPeer();
  const relayUrl = new URL(peer.url);
  relayUrl.username = 'relay-user';
  relayUrl.password = SMTP_PASSWORD;
  sx = await startSendarix({
    smtpUrl: relayUrl.toString(),
    env: { LOG_LEVEL: 'debug', SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true', SENDARIX_WEBHOOK_RETRY_SCHEDULE: '1s,1s' },
  });
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

const ONE_BYTE = Buffer.from('x').toString('base64');
const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
const base = (recipient = unique('sec')) => ({ recipient, subject: 'Security test', text: 'body' });

async function messageCount(): Promise<number> {
  return (await sx.api('GET', '/v1/messages?limit=100')).body.data.length as number;
}

describe('header injection', () => {
  const crlf = `\r\nBcc: ${INJECTED}`;
  const cases: [string, Record<string, unknown>, string][] = [
    ['subject', { subject: `Hello${crlf}` }, 'subject'],
    ['subject with a lone LF', { subject: `Hello\nBcc: ${INJECTED}` }, 'subject'],
    ['from display name', { from: `"Team${crlf}" <${SENDER}>` }, 'from'],
    ['from display name, unquoted', { from: `Team${crlf} <${SENDER}>` }, 'from'],
    ['recipient display name', { recipient: `Bob${crlf} <bob@example.com>` }, 'recipient'],
    ['reply_to display name', { reply_to: `Help${crlf} <help@example.com>` }, 'reply_to'],
    ['reply_to list entry', { reply_to: ['ok@example.com', `Help${crlf} <help@example.com>`] }, 'reply_to.1'],
    ['custom header value', { headers: { 'X-Campaign': `spring${crlf}` } }, 'headers.X-Campaign'],
    ['custom header value with NUL', { headers: { 'X-Campaign': 'spring\0' } }, 'headers.X-Campaign'],
    ['custom header name', { headers: { [`X-Campaign${crlf}`]: 'spring' } }, 'headers.X-Campaign'],
    ['custom header name with a colon', { headers: { [`Bcc: ${INJECTED}`]: 'x' } }, 'headers.Bcc'],
    ['X-Idempotency-Key in headers', { headers: { 'X-Idempotency-Key': `k${crlf}` } }, 'headers.X-Idempotency-Key'],
    [
      'attachment filename',
      { attachments: [{ filename: `a.txt${crlf}`, content: ONE_BYTE }] },
      'attachments.0.filename',
    ],
    [
      'attachment content type',
      { attachments: [{ filename: 'a.txt', content: ONE_BYTE, content_type: `text/plain${crlf}` }] },
      'attachments.0.content_type',
    ],
  ];

  it.each(cases)('refuses CR/LF in the %s with 422 and queues nothing', async (_name, fields, field) => {
    const before = await messageCount();
    const res = await sx.api('POST', '/v1/messages', { ...base(), ...fields });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.errors.map((e: { field: string }) => e.field).join(' ')).toContain(field);
    expect(await messageCount()).toBe(before);
  });

  it('refuses CR/LF that template data would put into the subject', async () => {
    const res = await sx.api('POST', '/v1/messages', {
      recipient: unique('sec-tpl'),
      template: 'otp-code',
      template_data: { code: `123${crlf}`, expires_in: '5 minutes' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.errors.map((e: { code: string }) => e.code)).toContain('header_injection');
  });

  it('never let an injected header through to the peer', () => {
    const leaked = peer.received.filter((m) => m.envelope.to.includes(INJECTED) || m.raw.includes(INJECTED));
    expect(leaked).toEqual([]);
  });
});

describe('template syntax in data', () => {
  const hostile = {
    mustache: '{{expires_in}}',
    block: '{{#each this}}X{{/each}}',
    dollar: '${process.env.HOME}',
    proto: '{{constructor.constructor}}',
  };

  it('arrives literally in the subject, text and HTML of a templated message', async () => {
    const recipient = unique('sec-literal');
    const code = `${hostile.mustache} ${hostile.block} ${hostile.dollar} ${hostile.proto}`;
    const templateData = { code, expires_in: 'ten minutes' };
    const res = await sx.api('POST', '/v1/messages', { recipient, template: 'otp-code', template_data: templateData });
    expect(res.status).toBe(202);
    const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
    expect(mail.parsed.subject).toBe(`${code} is your verification code`);
    expect(mail.parsed.text).toContain(code);
    expect(mail.parsed.html).toContain(code);
    expect(mail.parsed.text).not.toContain('X'.repeat(2));
  });

  it('arrives literally in inline bodies, which are never rendered', async () => {
    const recipient = unique('sec-inline');
    const text = Object.values(hostile).join(' | ');
    const html = `<p>${text}</p>`;
    const res = await sx.api('POST', '/v1/messages', { recipient, subject: hostile.mustache, text, html });
    expect(res.status).toBe(202);
    const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
    expect(mail.parsed.subject).toBe(hostile.mustache);
    expect(mail.parsed.text?.trim()).toBe(text);
    expect(mail.parsed.html).toContain(text);
  });

  it('renders data literally through the render endpoint too', async () => {
    const templateData = { code: hostile.block, expires_in: hostile.dollar };
    const res = await sx.api('POST', '/v1/templates/otp-code/render', { template_data: templateData });
    expect(res.status).toBe(200);
    expect(res.body.text).toContain(hostile.block);
    expect(res.body.text).toContain(hostile.dollar);
  });
});

/** A POST of `size` bytes streamed with chunked encoding (no Content-Length): what the server answers, if anything. */
function chunkedPost(pathname: string, size: number): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const url = new URL(sx.url);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${sx.apiKey}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode });
      },
    );
    req.on('error', (err) => resolve({ error: err.message }));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write('{"recipient":"big@example.com","subject":"big","text":"');
    pump();
  });
}

describe('oversized and deeply nested bodies', () => {
  it('answers 413 to a body over 50 MB announced by Content-Length', async () => {
    const body = `{"recipient":"big@example.com","subject":"big","text":"${'a'.repeat(MAX_BODY_BYTES)}"}`;
    const res = await sx.api('POST', '/v1/messages', body);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 413 to a chunked body that grows past 50 MB', async () => {
    const res = await chunkedPost('/v1/messages', MAX_BODY_BYTES + 2 * 1024 * 1024);
    expect(res).toEqual({ status: 413 });
  });

  it.each([
    ['objects', (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`],
    ['arrays', (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`],
  ])('answers 400 or 422 to 100,000 levels of nested %s, and stays up', async (_kind, nest) => {
    const deep = nest(100_000);
    const templated = `{"recipient":"deep@example.com","template":"otp-code","template_data":{"code":${deep}}}`;
    for (const body of [deep, templated]) {
      const res = await sx.api('POST', '/v1/messages', body);
      expect([400, 422]).toContain(res.status);
    }
    const withMetadata = `{"recipient":"d@example.com","subject":"s","text":"t","metadata":{"k":${deep}}}`;
    const metadata = await sx.api('POST', '/v1/messages', withMetadata);
    expect([400, 422]).toContain(metadata.status);
    const render = await sx.api('POST', '/v1/templates/otp-code/render', `{"template_data":{"code":${deep}}}`);
    expect([400, 422]).toContain(render.status);
    expect((await sx.api('GET', '/health')).status).toBe(200);
    expect(() => process.kill(sx.pid, 0)).not.toThrow();
  });
});

describe('slow clients', () => {
  it('cuts off a client that sends its headers one byte at a time', async () => {
    const url = new URL(sx.url);
    const socket = net.connect(Number(url.port), url.hostname);
    const started = Date.now();
    const head = `GET /health HTTP/1.1\r\nHost: ${url.host}\r\nX-Slow: ${'a'.repeat(200)}`;
    let sent = 0;
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
    socket.on('error', () => undefined);
    const drip = setInterval(() => {
      if (sent < head.length && !socket.destroyed) socket.write(head[sent++] as string);
    }, 1_000);
    let bound: NodeJS.Timeout | undefined;
    const closedAfterMs = await Promise.race([
      closed,
      new Promise<number>((resolve) => (bound = setTimeout(() => resolve(Infinity), SLOW_CLIENT_CUT_MS))),
    ]);
    clearTimeout(bound);
    clearInterval(drip);
    socket.destroy();
    expect(closedAfterMs).toBeLessThan(SLOW_CLIENT_CUT_MS);
    expect(sent).toBeLessThan(head.length);
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    expect((await sx.api('GET', '/health')).status).toBe(200);
  }, SLOW_CLIENT_CUT_MS + 30_000);
});

describe('secrets in logs', () => {
  it('never logs the API key, the relay password, a webhook secret or a new key', async () => {
    const receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end()));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    try {
      const hookUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hooks`;
      const hook = await sx.api('POST', '/v1/webhooks', { url: hookUrl });
      expect(hook.status).toBe(201);
      const key = await sx.api('POST', '/v1/keys', { label: 'logged?', scopes: ['send'] });
      expect(key.status).toBe(201);
      const bounced = unique('sec-bounce');
      peer.setBehaviour(bounced, { code: 550, enhanced: '5.1.1' });
      for (const recipient of [unique('sec-logs'), bounced]) {
        expect((await sx.api('POST', '/v1/messages', base(recipient))).status).toBe(202);
      }
      const asNewKey = { authorization: `Bearer ${key.body.secret}` };
      expect((await sx.api('POST', '/v1/messages', base(), asNewKey)).status).toBe(202);
      await nodemailer
        .createTransport({
          host: '127.0.0.1',
          port: sx.smtpPort,
          secure: false,
          tls: { rejectUnauthorized: false }, // the embedded default's certificate is self-signed
          auth: { user: 'apikey', pass: TEST_API_KEY },
        })
        .sendMail({ from: SENDER, to: unique('sec-relay'), subject: 'relayed', text: 'x' });
      await eventually(async () => {
        const deliveries = await sx.api('GET', `/v1/webhooks/${hook.body.id}/deliveries?status=delivered`);
        return deliveries.body.data.length >= 3 ? true : undefined;
      }, 60_000, 'webhook deliveries');

      const logs = sx.logs.join('\n');
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of [TEST_API_KEY, SMTP_PASSWORD, hook.body.secret as string, key.body.secret as string]) {
        expect(typeof secret).toBe('string');
        expect(logs.includes(secret)).toBe(false);
      }
      expect(logs).not.toContain(encodeURIComponent(SMTP_PASSWORD));
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

const guessed = () => ({ authorization: `Bearer sk_live_guess${randomUUID()}` });

// Last: it exhausts this address's budget of failed authentications for the rest of the minute.
describe('API key guessing', () => {
  it('answers 429 once one address has drawn its 401s, however the guessed tokens rotate', async () => {
    const unused = await sx.api('POST', '/v1/keys', { label: 'never used yet', scopes: ['read'] });
    expect(unused.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE + 5; i++) {
      const res = await request(sx.url, 'GET', '/v1/messages', undefined, guessed());
      statuses.push(res.status);
    }
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThan(0);
    expect(firstLimited).toBeLessThanOrEqual(AUTH_FAILURES_PER_MINUTE);
    expect(statuses.slice(0, firstLimited).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(firstLimited).every((s) => s === 429)).toBe(true);

    const guess = await request(sx.url, 'GET', '/v1/messages', undefined, guessed());
    expect(guess.status).toBe(429);
    expect(guess.body.error.code).toBe('rate_limited');
    expect(Number(guess.headers.get('retry-after'))).toBeGreaterThan(0);
    // A right guess is refused the same way, so the 429 tells nothing; a key already in use here keeps working.
    const rightGuess = await request(sx.url, 'GET', '/v1/messages', undefined, {
      authorization: `Bearer ${unused.body.secret}`,
    });
    expect(rightGuess.status).toBe(429);
    expect((await sx.api('GET', '/v1/messages')).status).toBe(200);
    const missing = await request(sx.url, 'GET', '/v1/messages');
    expect(missing.status).toBe(429);
  });
});
