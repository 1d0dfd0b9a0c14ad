// POST /v1/messages/batch on real parts: each item accepted or refused on its own, each its own workflow and
// its own SMTP transaction, idempotent as a batch and per item, and 503 per item when Temporal is down.
import { randomUUID } from 'node:crypto';
import { findTemporalCli } from '../../src/temporal/cli';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import type { SmtpPeer } from '../support/smtp-peer';
import { withPeerAndSendarix } from '../support/with-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
withPeerAndSendarix((world) => ({ peer, sx } = world));

const SETTLE_MS = 1_500;
const tag = () => randomUUID().slice(0, 8);
const item = (recipient: string) => ({ recipient, subject: 'Your receipt', text: 'Thank you for your order.' });
const batch = (messages: unknown[], headers: Record<string, string> = {}) =>
  sx.api('POST', '/v1/messages/batch', { messages }, headers);
const received = (recipient: string) => peer.received.filter((m) => m.envelope.to.includes(recipient));

async function delivered(id: string) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`);
    return res.body.status === 'delivered' ? res.body : undefined;
  }, 60_000, `message ${id} to be delivered`);
}

async function listed(recipient: string): Promise<unknown[]> {
  return (await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`)).body.data;
}

describe('POST /v1/messages/batch', () => {
  it('accepts the valid items and refuses the invalid ones, each in its own entry', async () => {
    const t = tag();
    const [ok1, bad, ok2] = [`a-${t}@example.com`, `b-${t}@example.com`, `c-${t}@example.com`];
    const res = await batch([
      item(ok1),
      { ...item(bad), recipient: 'not an address' },
      { ...item(bad), to: bad },
      item(ok2),
      { recipient: bad, template: 'no-such-template' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { index: number; status: number }) => [r.index, r.status])).toEqual([
      [0, 202], [1, 422], [2, 422], [3, 202], [4, 422],
    ]);
    expect(res.body.data[0]).toEqual({
      index: 0,
      status: 202,
      message_id: expect.stringMatching(/^msg_[a-z2-7]{26}$/),
      message_status: 'queued',
      recipient: ok1,
      created_at: expect.any(String),
    });
    const refusal = (n: number) => res.body.data[n].error;
    expect(refusal(1).code).toBe('validation_failed');
    expect(refusal(1).errors).toEqual([expect.objectContaining({ field: 'recipient' })]);
    expect(refusal(2).errors).toContainEqual(expect.objectContaining({ field: 'to', code: 'unknown_field' }));
    expect(refusal(4).errors).toContainEqual(expect.objectContaining({ field: 'template', code: 'unknown_template' }));

    await delivered(res.body.data[0].message_id);
    await delivered(res.body.data[3].message_id);
    expect(await listed(bad)).toEqual([]);
    expect(received(bad)).toEqual([]);
  });

  it('delivers all 100 items of a full batch to the SMTP peer, one DATA each', async () => {
    const t = tag();
    const recipients = Array.from({ length: 100 }, (_, n) => `full-${n}-${t}@example.com`);
    const dataBefore = peer.dataCount;
    const res = await batch(recipients.map(item));
    expect(res.status).toBe(200);
    expect(res.body.data.filter((r: { status: number }) => r.status === 202)).toHaveLength(100);
    expect(new Set(res.body.data.map((r: { message_id: string }) => r.message_id)).size).toBe(100);

    await peer.waitUntil(() => recipients.every((r) => received(r).length > 0), 90_000);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(recipients.filter((r) => received(r).length !== 1)).toEqual([]);
    expect(recipients.every((r) => received(r)[0]?.envelope.to.length === 1)).toBe(true);
    expect(peer.dataCount - dataBefore).toBe(100);
    const ids = res.body.data.map((r: { message_id: string }) => r.message_id);
    const messageIds = recipients.map((r) => received(r)[0]?.parsed.messageId);
    expect(messageIds).toEqual(ids.map((id: string) => `<${id}@sendarix.localhost>`));
  });

  it('replays a batch under the same Idempotency-Key: the same answers, nothing sent again', async () => {
    const t = tag();
    const key = randomUUID();
    const recipients = [`r1-${t}@example.com`, `r2-${t}@example.com`, `r3-${t}@example.com`];
    const messages = [...recipients.map(item), { recipient: 'nobody' }];
    const first = await batch(messages, { 'idempotency-key': key });
    expect(first.body.data.map((r: { status: number }) => r.status)).toEqual([202, 202, 202, 422]);
    for (const r of first.body.data.slice(0, 3)) await delivered(r.message_id);

    const again = await batch(messages, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(recipients.map((r) => received(r).length)).toEqual([1, 1, 1]);

    // Item n is idempotent under `<batch key>:<n>`, also when sent on its own.
    const single = await sx.api('POST', '/v1/messages', messages[1], { 'idempotency-key': `${key}:1` });
    expect(single.status).toBe(202);
    expect(single.body.message_id).toBe(first.body.data[1].message_id);
  });

  it('makes one message per item from concurrent identical batches', async () => {
    const t = tag();
    const key = randomUUID();
    const recipients = Array.from({ length: 5 }, (_, n) => `conc-${n}-${t}@example.com`);
    const send = () => batch(recipients.map(item), { 'idempotency-key': key });
    const answers = await Promise.all([send(), send(), send(), send()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const ids = answers.map((a) => a.body.data.map((r: { message_id: string }) => r.message_id).join(','));
    expect(new Set(ids).size).toBe(1);
    await peer.waitUntil(() => recipients.every((r) => received(r).length > 0), 30_000);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(recipients.map((r) => received(r).length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('refuses the same Idempotency-Key with another batch body, queuing nothing of it', async () => {
    const t = tag();
    const key = randomUUID();
    const first = await batch([item(`same-${t}@example.com`)], { 'idempotency-key': key });
    expect(first.body.data[0].status).toBe(202);
    const other = await batch([item(`other-${t}@example.com`)], { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await listed(`other-${t}@example.com`)).toEqual([]);
  });

  it('refuses more than 100 items with 422, queuing none of them', async () => {
    const t = tag();
    const res = await batch(Array.from({ length: 101 }, (_, n) => item(`over-${n}-${t}@example.com`)));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.errors[0].field).toBe('messages');
    expect(await listed(`over-0-${t}@example.com`)).toEqual([]);
  });

  it.each([
    ['an empty list', { messages: [] }],
    ['an unknown field beside messages', { messages: [item('x@example.com')], dry_run: true }],
  ])('answers 422 to %s', async (_name, body) => {
    const res = await sx.api('POST', '/v1/messages/batch', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it.each([
    ['messages that is an object', { messages: { 0: item('x@example.com') } }],
    ['messages that is a string', { messages: 'x@example.com' }],
    ['no messages at all', {}],
    ['a body that is an array', [item('x@example.com')]],
  ])('answers 400 to %s', async (_name, body) => {
    const res = await sx.api('POST', '/v1/messages/batch', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_request');
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

  it('reports 503 for each item without waiting on each in turn, and keeps none of them', async () => {
    const t = tag();
    const started = Date.now();
    const res = await down.api('POST', '/v1/messages/batch', {
      // The last item is malformed in shape: that needs no dependency, so it is still refused as such.
      messages: [
        ...Array.from({ length: 30 }, (_, n) => item(`down-${n}-${t}@example.com`)),
        { recipient: 'x@example.com', to: 'y' },
      ],
    });
    const elapsedMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { status: number }) => r.status)).toEqual([...Array(30).fill(503), 422]);
    expect(res.body.data[0].error.code).toBe('service_unavailable');
    // 30 items waiting 5 s each in turn would take minutes; the batch stops trying after the first failures.
    expect(elapsedMs).toBeLessThan(20_000);
    const list = await down.api('GET', '/v1/messages?limit=100');
    expect(list.body.data).toEqual([]);
  });
});
