// The wait of one high-priority message behind a backlog of low ones on a paced route, against the wait of a
// low one sent at the same moment (the baseline: FIFO within a tier). Prints figures; not part of the tests.
// Usage: npx tsx bench/priority-backlog.ts [--backlog 1000] [--rate 50]
import { randomUUID } from 'node:crypto';
import { eventually, type SendarixProcess } from '../test/support/sendarix';
import { runStandalone } from './support/standalone';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const BACKLOG = arg('backlog', 1000);
const RATE_PER_SECOND = arg('rate', 50);
const CONCURRENT_SENDS = 20;
/** Route workers follow the routing policy within 5 s. */
const ROUTE_FOLLOW_MS = 6_000;

async function send(sx: SendarixProcess, recipient: string, priority: string): Promise<string> {
  const res = await sx.api('POST', '/v1/messages', {
    recipient, subject: 'Backlog', text: 'x', priority, headers: { 'X-Idempotency-Key': randomUUID() },
  });
  if (res.status !== 202) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.message_id as string;
}

async function waitMs(sx: SendarixProcess, id: string): Promise<number> {
  const m = await eventually(async () => {
    const r = await sx.api('GET', `/v1/messages/${id}`);
    return r.body.status === 'delivered' ? r.body : undefined;
  }, 30 * 60_000, `message ${id}`);
  return Date.parse(m.completed_at) - Date.parse(m.created_at);
}

runStandalone(async ({ sx, peer }) => {
  const transport = { type: 'smtp', host: '127.0.0.1', port: peer.port, tls: 'none' };
  const rule = { name: 'paced', match: ['backlog.example'], transport, pacing: { per_second: RATE_PER_SECOND } };
  const put = await sx.api('PUT', '/v1/routes', { rules: [rule] });
  if (put.status !== 200) throw new Error(`routes: ${JSON.stringify(put.body)}`);
  await new Promise((r) => setTimeout(r, ROUTE_FOLLOW_MS));

  const started = Date.now();
  for (let i = 0; i < BACKLOG; i += CONCURRENT_SENDS) {
    const batch = Array.from({ length: Math.min(CONCURRENT_SENDS, BACKLOG - i) }, (_, j) => i + j);
    await Promise.all(batch.map((n) => send(sx, `low${n}@backlog.example`, 'low')));
  }
  const enqueueMs = Date.now() - started;
  const [high, lowProbe] = await Promise.all([
    send(sx, 'urgent@backlog.example', 'high'),
    send(sx, 'probe@backlog.example', 'low'),
  ]);
  const highWaitMs = await waitMs(sx, high);
  const lowWaitMs = await waitMs(sx, lowProbe);
  console.log(JSON.stringify({
    backlog_low: BACKLOG,
    pacing_per_second: RATE_PER_SECOND,
    enqueue_ms: enqueueMs,
    high_wait_ms: highWaitMs,
    low_sent_with_it_wait_ms: lowWaitMs,
    ratio_high_to_low: Number((highWaitMs / lowWaitMs).toFixed(3)),
  }));
});
