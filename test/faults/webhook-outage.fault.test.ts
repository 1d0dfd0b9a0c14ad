// R5: the webhook receiver is down (connections refused) for a long stretch while messages move, then comes back.
// Every event must arrive, verifiably signed (Standard Webhooks), and each message's events must be complete and
// ordered by their `sequence`, matching the message's own timeline.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { mapLimit, waitUntil } from './support/bounded';
import { countBy, reportFigures } from './support/report';
import { startSendarixOnPostgres, type SendarixOnPostgres } from './support/sendarix-pg';
import { startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from './support/webhook-receiver';

const MESSAGES = 10;
/** Short, so the outage spans several failed attempts of every event and the test still ends in minutes. */
const RETRY_SCHEDULE = '1s,2s,3s,3s,3s,3s,3s,3s,3s,3s,3s,3s';
const OUTAGE_MS = 20_000;
const ARRIVAL_TIMEOUT_MS = 90_000;

let peer: SmtpPeer;
let receiver: WebhookReceiver;
let s: SendarixOnPostgres;

beforeAll(async () => {
  peer = await startSmtpPeer();
  receiver = await startWebhookReceiver();
  s = await startSendarixOnPostgres({
    smtpUrl: peer.url,
    env: { SENDARIX_WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE, SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true' },
  });
});

afterAll(async () => {
  await s?.stop();
  await receiver?.down();
  await peer?.stop();
});

/** Arrival-order inversions within each message: a later sequence that arrived before an earlier one. */
function inversions(hits: ReceivedHook[]): number {
  let count = 0;
  const byMessage = new Map<string, number[]>();
  for (const hit of hits) {
    const id = hit.body.data.message_id;
    byMessage.set(id, [...(byMessage.get(id) ?? []), hit.body.sequence]);
  }
  for (const seqs of byMessage.values()) {
    seqs.forEach((a, i) => seqs.slice(i + 1).forEach((b) => (count += a > b ? 1 : 0)));
  }
  return count;
}

it('delivers every event of an outage, signed, complete and in sequence per message, once back', async () => {
  const endpoint = await s.sx.api('POST', '/v1/webhooks', { url: receiver.url });
  expect(endpoint.status).toBe(201);
  await receiver.down();

  const run = randomUUID().slice(0, 8);
  const ids = await mapLimit(Array.from({ length: MESSAGES }, (_, i) => i), 4, async (i) => {
    const recipient = `r5-${run}-${i}@example.com`;
    const res = await s.sx.api('POST', '/v1/messages', { recipient, subject: 'Fault R5', text: 'x' });
    expect(res.status).toBe(202);
    return res.body.message_id as string;
  });
  await waitUntil(async () => peer.dataCount >= MESSAGES, 60_000, 'the deliveries');
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  const [during] = await s.db.query<{ n: string; attempts: string; min_attempts: number; delivered: string }>(
    `SELECT count(*) AS n, sum(attempts) AS attempts, min(attempts) AS min_attempts,
            count(*) FILTER (WHERE status = 'delivered') AS delivered FROM webhook_deliveries`,
  );
  await receiver.up();

  const timelines = new Map<string, string[]>();
  for (const id of ids) {
    const message = await s.sx.api('GET', `/v1/messages/${id}`);
    expect(message.body.status).toBe('delivered');
    timelines.set(id, message.body.events.map((e: { type: string }) => e.type));
  }
  const expected = [...timelines.values()].reduce((n, t) => n + t.length, 0);
  const distinct = () => new Set(receiver.hits.map((h) => h.headers['webhook-id'])).size;
  await waitUntil(async () => distinct() >= expected, ARRIVAL_TIMEOUT_MS, `${expected} distinct webhooks`, distinct);

  const wh = new Webhook(endpoint.body.secret as string);
  for (const hit of receiver.hits) expect(() => wh.verify(hit.raw, hit.headers)).not.toThrow();
  for (const [id, timeline] of timelines) {
    const first = new Map<number, ReceivedHook>();
    for (const hit of receiver.hits.filter((h) => h.body.data.message_id === id)) {
      if (!first.has(hit.body.sequence)) first.set(hit.body.sequence, hit);
    }
    const ordered = [...first.values()].sort((a, b) => a.body.sequence - b.body.sequence);
    expect(ordered.map((h) => h.body.sequence)).toEqual(timeline.map((_, i) => i));
    expect(ordered.map((h) => h.body.type)).toEqual(timeline);
  }
  const copies = countBy(receiver.hits, (h) => h.headers['webhook-id'] ?? '');
  reportFigures('R5', {
    messages: MESSAGES,
    events: expected,
    outage_ms: OUTAGE_MS,
    failed_attempts_during_outage: Number(during?.attempts),
    posts_received: receiver.hits.length,
    repeated_webhook_ids: [...copies.values()].filter((n) => n > 1).length,
    arrival_order_inversions: inversions(receiver.hits),
  });
  expect(distinct()).toBe(expected);
  // The outage was real: every event had been tried and refused at least twice, none had arrived.
  expect(Number(during?.n)).toBe(expected);
  expect(Number(during?.delivered)).toBe(0);
  expect(Number(during?.min_attempts)).toBeGreaterThanOrEqual(2);
});
