// GET /v1/analytics on real parts: a known mix of messages (delivered, hard-bounced by the SMTP peer, suppressed)
// goes through Temporal, then the report's counts, rates and latency percentiles are checked against it.
import { randomUUID } from 'node:crypto';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
let otherKey = '';
const tag = randomUUID().slice(0, 8);
const x = `x-${tag}.example`;
const y = `y-${tag}.example`;
const started = new Date(Date.now() - 60_000);
/** accept→delivered of each delivered message, in milliseconds. */
const latencies: number[] = [];

async function finalState(id: string, status: string) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`);
    return res.body.status === status ? res.body : undefined;
  }, 30_000, `message ${id} to become ${status}`);
}

/** From before the first message to a minute from now. */
const span = () => {
  const to = new Date(Date.now() + 60_000).toISOString();
  return `from=${encodeURIComponent(started.toISOString())}&to=${encodeURIComponent(to)}`;
};

async function report(query: string, key?: string) {
  const res = await sx.api('GET', `/v1/analytics?${query}`, undefined, key ? { authorization: `Bearer ${key}` } : {});
  expect(res.status).toBe(200);
  return res.body;
}

/** percentile_cont over sorted values: linear interpolation between the closest ranks. */
function percentile(sorted: number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const lo = sorted[Math.floor(rank)] as number;
  const hi = sorted[Math.ceil(rank)] as number;
  return lo + (hi - lo) * (rank - Math.floor(rank));
}

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({ smtpUrl: peer.url });
  peer.setBehaviour(`bounce@${x}`, { code: 550, enhanced: '5.1.1', message: 'No such user' });
  expect((await sx.api('POST', '/v1/suppressions', { recipient: `gone@${y}` })).status).toBe(201);
  const plan: [string, string][] = [
    [`a@${x}`, 'delivered'], [`b@${x}`, 'delivered'], [`bounce@${x}`, 'bounced'],
    [`c@${y}`, 'delivered'], [`gone@${y}`, 'suppressed'],
  ];
  for (const [recipient, status] of plan) {
    const res = await sx.api('POST', '/v1/messages', { recipient, subject: 'Report', text: 'Hi' });
    expect(res.status).toBe(202);
    const message = await finalState(res.body.message_id, status);
    if (status === 'delivered') latencies.push(Date.parse(message.completed_at) - Date.parse(message.created_at));
  }
  latencies.sort((a, b) => a - b);
  const second = { name: `analytics ${tag}`, default_from: 'Shop <shop@shop.test>' };
  const project = await sx.api('POST', '/v1/projects', second);
  otherKey = project.body.api_key;
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

describe('GET /v1/analytics', () => {
  it('counts messages per status and events per type over the range', async () => {
    const { totals } = await report(`${span()}&granularity=hour`);
    expect(totals.messages).toBe(5);
    expect(totals.statuses).toMatchObject({ delivered: 3, bounced: 1, suppressed: 1, queued: 0, complained: 0 });
    expect(totals.events).toMatchObject({
      'message.queued': 5, 'message.accepted': 4, 'message.delivered': 3, 'message.bounced': 1, 'message.suppressed': 1,
      'message.deferred': 0,
    });
  });

  it('gives delivery, bounce and complaint rates over the messages with an SMTP outcome', async () => {
    const { totals } = await report(span());
    expect(totals.rates).toEqual({ delivery: 0.75, bounce: 0.25, complaint: 0 });
  });

  it('gives accept→delivered latency percentiles as percentile_cont computes them', async () => {
    const { totals } = await report(span());
    for (const [name, p] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const) {
      expect(totals.latency_ms[name]).toBeGreaterThan(0);
      expect(Math.abs(totals.latency_ms[name] - percentile(latencies, p))).toBeLessThanOrEqual(1);
    }
    expect(totals.latency_ms.p50).toBeLessThanOrEqual(totals.latency_ms.p95);
    expect(totals.latency_ms.p95).toBeLessThanOrEqual(totals.latency_ms.p99);
  });

  it('lists every bucket of the range, empty ones included, adding up to the totals', async () => {
    const from = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 5 * 3_600_000);
    const body = await report(`from=${encodeURIComponent(from.toISOString())}&granularity=hour`);
    expect(body.buckets.length).toBeGreaterThanOrEqual(6);
    expect(body.buckets[0].start).toBe(from.toISOString());
    const starts = body.buckets.map((b: { start: string }) => Date.parse(b.start));
    const gaps = starts.slice(1).map((t: number, i: number) => t - starts[i]);
    expect(new Set(gaps)).toEqual(new Set([3_600_000]));
    const sum = body.buckets.reduce((n: number, b: { messages: number }) => n + b.messages, 0);
    expect(sum).toBe(5);
    expect(body.buckets[0]).toMatchObject({ messages: 0, rates: { delivery: null }, latency_ms: { p50: null } });
  });

  it('buckets by day, aligned on UTC midnight', async () => {
    const body = await report('granularity=day');
    expect(body.granularity).toBe('day');
    expect(body.buckets.every((b: { start: string }) => b.start.endsWith('T00:00:00.000Z'))).toBe(true);
    expect(body.totals.messages).toBe(5);
  });

  it('breaks the figures down by recipient domain', async () => {
    const body = await report(`${span()}&group_by=recipient_domain`);
    expect(body.group_by).toBe('recipient_domain');
    const groups = Object.fromEntries(body.groups.map((g: { key: string }) => [g.key, g]));
    expect(Object.keys(groups).sort()).toEqual([x, y]);
    const [xs, ys] = [{ delivered: 2, bounced: 1 }, { delivered: 1, suppressed: 1 }];
    expect(groups[x].totals).toMatchObject({ messages: 3, statuses: xs, rates: { bounce: 1 / 3 } });
    expect(groups[y].totals).toMatchObject({ messages: 2, statuses: ys, rates: { delivery: 1 } });
    expect(groups[x].totals.events['message.bounced']).toBe(1);
    expect(groups[x].totals.latency_ms.p50).toBeGreaterThan(0);
    expect(groups[x].buckets.reduce((n: number, b: { messages: number }) => n + b.messages, 0)).toBe(3);
    expect(body.totals.messages).toBe(5);
  });

  it('breaks the figures down by route; a suppressed message never took one', async () => {
    const body = await report(`${span()}&group_by=route`);
    const route = (await sx.api('GET', `/v1/messages?status=delivered&limit=1`)).body.data[0].route as string;
    type Group = { key: string | null; totals: { messages: number } };
    const keys = body.groups.map((g: Group) => [g.key, g.totals.messages]);
    expect(keys).toEqual([[route, 4], [null, 1]]);
  });

  it("shows another project nothing of this project's traffic", async () => {
    const body = await report(span(), otherKey);
    expect(body.totals.messages).toBe(0);
    expect(body.totals.events['message.queued']).toBe(0);
    expect(body.totals.rates).toEqual({ delivery: null, bounce: null, complaint: null });
  });

  it.each([
    ['an unknown granularity', 'granularity=week', 'granularity'],
    ['an unknown grouping', 'group_by=template', 'group_by'],
    ['from after to', 'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ['more than 1000 buckets', 'from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&granularity=hour', 'from'],
    ['a date without a time', 'from=2026-01-01', 'from'],
  ])('answers 422 for %s', async (_what, query, field) => {
    const res = await sx.api('GET', `/v1/analytics?${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
