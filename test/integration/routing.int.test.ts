// Routing policy through the API: rules by recipient domain to a relay or direct MX delivery, pacing enforced
// by Temporal on the rule's own task queue, and priority tiers overtaking a backlog.
import { randomUUID } from 'node:crypto';
import { startDnsServer, type TestDnsServer } from '../support/dns-server';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let dns: TestDnsServer;
let relay: SmtpPeer;
let corp: SmtpPeer;
let mx1: SmtpPeer;
let mx2: SmtpPeer | undefined;
let sx: SendarixProcess;

beforeAll(async () => {
  dns = await startDnsServer();
  relay = await startSmtpPeer();
  corp = await startSmtpPeer();
  // Two mail exchangers on one port, as on the internet, told apart by their loopback address.
  mx1 = await startSmtpPeer({ host: '127.0.0.2' });
  sx = await startSendarix({
    smtpUrl: relay.url,
    env: { SENDARIX_DNS_SERVERS: dns.address, SENDARIX_MX_PORT: String(mx1.port) },
  });
});

afterAll(async () => {
  await sx?.stop();
  for (const peer of [relay, corp, mx1, mx2]) await peer?.stop();
  await dns?.stop();
});

const send = (recipient: string, extra: Record<string, unknown> = {}) =>
  sx.api('POST', '/v1/messages', { recipient, subject: 'Routing', text: 'hello', headers: { 'X-Idempotency-Key': randomUUID() }, ...extra });

async function delivered(id: string) {
  return eventually(async () => {
    const m = await sx.api('GET', `/v1/messages/${id}`);
    return ['delivered', 'bounced'].includes(m.body.status) ? m.body : undefined;
  }, 60_000, `message ${id} to finish`);
}

describe('the routing policy', () => {
  it('refuses an invalid policy as a whole, naming the fields', async () => {
    const res = await sx.api('PUT', '/v1/routes', {
      rules: [
        { name: 'all', match: ['*'], transport: { type: 'mx' } },
        { name: 'late', match: ['Bad Domain'], transport: { type: 'smtp' } },
      ],
    });
    expect(res.status).toBe(422);
    const fields = res.body.error.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['rules.1.match.0', 'rules.1.transport.host']));
    expect((await sx.api('GET', '/v1/routes')).body.rules).toEqual([]);
  });

  it('stores a policy, keeps passwords write-only, and routes by recipient domain', async () => {
    const put = await sx.api('PUT', '/v1/routes', {
      rules: [
        { name: 'corp', match: ['corp.example', '*.corp.example'], transport: { type: 'smtp', host: '127.0.0.1', port: corp.port, tls: 'none', username: 'u', password: 'p4ss' } },
        { name: 'direct', match: ['mx.example', 'amx.example'], transport: { type: 'mx' } },
        { name: 'paced', match: ['slow.example'], transport: { type: 'smtp', host: '127.0.0.1', port: corp.port, tls: 'none' }, pacing: { per_second: 1 } },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.rules[0].transport.password).toBe('[set]');
    expect(JSON.stringify((await sx.api('GET', '/v1/routes')).body)).not.toContain('p4ss');

    const res = await send('ann@mail.corp.example');
    const message = await delivered(res.body.message_id);
    expect(message.route).toBe('corp');
    expect(message.events.find((e: { type: string }) => e.type === 'message.accepted').data.route).toBe('corp');
    expect(corp.received.some((m) => m.envelope.to.includes('ann@mail.corp.example'))).toBe(true);

    const other = await send('bob@elsewhere.example');
    expect((await delivered(other.body.message_id)).route).toBe('relay');
    expect(relay.received.some((m) => m.envelope.to.includes('bob@elsewhere.example'))).toBe(true);
  });
});

describe('direct MX delivery', () => {
  it('tries exchangers in preference order and moves on when one cannot be reached', async () => {
    dns.setMx('mx.example', [{ exchange: 'mx2.mx.example', priority: 20 }, { exchange: 'mx1.mx.example', priority: 10 }]);
    dns.setA('mx1.mx.example', ['127.0.0.3']); // nothing listens there
    dns.setA('mx2.mx.example', ['127.0.0.2']);
    const res = await send('carol@mx.example');
    const message = await delivered(res.body.message_id);
    expect(message.status).toBe('delivered');
    expect(message.route).toBe('direct');
    expect(mx1.received.some((m) => m.envelope.to.includes('carol@mx.example'))).toBe(true);
  });

  it('falls back to the domain\'s own address when it has no MX', async () => {
    dns.setA('amx.example', ['127.0.0.2']);
    const res = await send('dave@amx.example');
    expect((await delivered(res.body.message_id)).status).toBe('delivered');
    expect(mx1.received.some((m) => m.envelope.to.includes('dave@amx.example'))).toBe(true);
  });

  it('moves to the next exchanger after a 421 at connect', async () => {
    mx2 = await startSmtpPeer({ host: '127.0.0.4', port: mx1.port });
    mx2.setBehaviour('erin@mx.example', { code: 421, message: 'too busy' });
    dns.setMx('mx.example', [{ exchange: 'mx2.mx.example', priority: 10 }, { exchange: 'mx1.mx.example', priority: 20 }]);
    dns.setA('mx2.mx.example', ['127.0.0.4']);
    dns.setA('mx1.mx.example', ['127.0.0.2']);
    const res = await send('erin@mx.example');
    expect((await delivered(res.body.message_id)).status).toBe('delivered');
    expect(mx1.received.some((m) => m.envelope.to.includes('erin@mx.example'))).toBe(true);
  });
});

describe('pacing and priority', () => {
  it('paces one domain at its configured rate without slowing other domains', async () => {
    // Route workers pick up a new policy within a few seconds.
    await new Promise((r) => setTimeout(r, 6_000));
    const started = Date.now();
    const slow = await Promise.all(Array.from({ length: 8 }, (_, i) => send(`s${i}@slow.example`)));
    const fast = await Promise.all(Array.from({ length: 10 }, (_, i) => send(`f${i}@fast.example`)));
    const fastDone = await Promise.all(fast.map((r) => delivered(r.body.message_id)));
    const fastElapsedMs = Math.max(...fastDone.map((m) => Date.parse(m.completed_at))) - started;
    const slowDone = await Promise.all(slow.map((r) => delivered(r.body.message_id)));
    const times = slowDone.map((m) => Date.parse(m.completed_at)).sort((a, b) => a - b);
    const spreadMs = (times.at(-1) as number) - (times[0] as number);
    const achievedPerSecond = (times.length - 1) / (spreadMs / 1000);
    console.log(JSON.stringify({ pacing: { configured_per_second: 1, achieved_per_second: Number(achievedPerSecond.toFixed(2)), fast_domain_ms: fastElapsedMs, slow_spread_ms: spreadMs } }));
    expect(achievedPerSecond).toBeLessThan(1.3);
    expect(fastElapsedMs).toBeLessThan(spreadMs);
    expect(slowDone.every((m) => m.route === 'paced')).toBe(true);
  });

  it('lets a high-priority message overtake a backlog of low ones on a paced route', async () => {
    const low = await Promise.all(Array.from({ length: 20 }, (_, i) => send(`low${i}@slow.example`, { priority: 'low' })));
    const high = await send('urgent@slow.example', { priority: 'high' });
    const highDone = await delivered(high.body.message_id);
    const lowDone = await Promise.all(low.map((r) => delivered(r.body.message_id)));
    // Low messages delivered while the high one waited: at most those already handed to the worker.
    const [accepted, finished] = [Date.parse(highDone.created_at), Date.parse(highDone.completed_at)];
    const overtakenBy = lowDone.filter((m) => Date.parse(m.completed_at) > accepted && Date.parse(m.completed_at) < finished).length;
    const lowAfter = lowDone.filter((m) => Date.parse(m.completed_at) > finished).length;
    console.log(JSON.stringify({ priority: { backlog_low: 20, high_wait_ms: finished - accepted, low_delivered_while_high_waited: overtakenBy, low_delivered_after_high: lowAfter } }));
    expect(overtakenBy).toBeLessThanOrEqual(8);
    expect(lowAfter).toBeGreaterThanOrEqual(10);
  });
});
