// Dependencies failing: Temporal down means 503 and nothing half-accepted; a relay without SMTPUTF8 fails a
// UTF-8 mailbox permanently; past the rate limit the API answers 429.
import { randomUUID } from 'node:crypto';
import { findTemporalCli } from '../../src/temporal/cli';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

const RATE_LIMIT = 40;
let temporal: DevServer;
let peer: SmtpPeer;
let sx: SendarixProcess;

beforeAll(async () => {
  temporal = await startDevServer({ cliPath: findTemporalCli(process.env), uiPort: false });
  peer = await startSmtpPeer({ smtputf8: false });
  sx = await startSendarix({
    smtpUrl: peer.url,
    temporalAddress: temporal.address,
    env: { SENDARIX_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) },
  });
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
  await temporal?.stop();
});

const message = (recipient: string) => ({
  recipient,
  subject: 'Security alert',
  text: 'A new sign-in to your account.',
  headers: { 'X-Idempotency-Key': randomUUID() },
});

it('fails a UTF-8 local part permanently, with its reason, when the relay lacks SMTPUTF8', async () => {
  const res = await sx.api('POST', '/v1/messages', message('josé@example.com'));
  expect(res.status).toBe(202);
  const final = await eventually(async () => {
    const m = await sx.api('GET', `/v1/messages/${res.body.message_id}`);
    return m.body.status === 'bounced' ? m.body : undefined;
  });
  expect(final.attempts).toBe(1);
  expect(final.last_response).toMatchObject({ kind: 'permanent', reason: 'smtputf8_unsupported' });
});

it('delivers an IDN domain in punycode', async () => {
  const res = await sx.api('POST', '/v1/messages', message('anna@bücher.example'));
  expect(res.body.recipient).toBe('anna@bücher.example');
  const mail = await peer.waitFor((m) => m.envelope.to.includes('anna@xn--bcher-kva.example'), 30_000);
  expect(mail.parsed.subject).toBe('Security alert');
});

describe('with Temporal stopped', () => {
  beforeAll(async () => {
    await temporal.stop();
  });

  it('answers 503 to a send and keeps nothing of it', async () => {
    const before = (await sx.api('GET', '/v1/messages?limit=100')).body.data.length;
    const res = await sx.api('POST', '/v1/messages', message('later@example.com'));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const after = await sx.api('GET', '/v1/messages?limit=100');
    expect(after.body.data.length).toBe(before);
    expect(after.body.data.map((m: { recipient: string }) => m.recipient)).not.toContain('later@example.com');
  });

  it('reports health 503', async () => {
    const res = await sx.api('GET', '/health');
    expect(res.status).toBe(503);
    expect(res.body.temporal).toBe('unavailable');
  });
});

it('answers 429 with Retry-After past the rate limit', async () => {
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof sx.api>> | undefined;
  for (let i = 0; i < RATE_LIMIT + 5; i++) {
    last = await sx.api('GET', '/v1/messages?limit=1');
    statuses.push(last.status);
  }
  expect(statuses).toContain(429);
  expect(last?.status).toBe(429);
  expect(last?.body.error.code).toBe('rate_limited');
  expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
});
