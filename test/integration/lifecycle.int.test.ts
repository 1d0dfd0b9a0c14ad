// The message lifecycle end to end: HTTP API → Temporal workflow → SMTP peer, on real parts.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { stateQuery } from '../../src/workflows/definitions';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
let temporal: Client;

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({ smtpUrl: peer.url });
  temporal = new Client({ connection: await Connection.connect({ address: process.env.SENDARIX_TEST_TEMPORAL_ADDRESS as string }) });
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
  await temporal?.connection.close();
});

const otpRequest = (recipient: string, key = randomUUID()) => ({
  recipient,
  subject: 'Your verification code',
  template: 'otp-code',
  template_data: { code: '847291', expires_in: '5 minutes' },
  headers: { 'X-Idempotency-Key': key },
});

async function finalState(id: string, status: string, timeoutMs = 30_000) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`);
    return res.body.status === status ? res.body : undefined;
  }, timeoutMs, `message ${id} to become ${status}`);
}

const eventTypes = (message: { events: { type: string }[] }) => message.events.map((e) => e.type);

describe('the SPEC example', () => {
  it('is accepted with 202, delivered over SMTP, and its timeline is readable', async () => {
    const recipient = `user-${randomUUID().slice(0, 8)}@example.com`;
    const res = await sx.api('POST', '/v1/messages', otpRequest(recipient));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      message_id: expect.stringMatching(/^msg_[a-z2-7]{26}$/),
      status: 'queued',
      recipient,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(res.headers.get(h)).toMatch(/^\d+$/);
    const id = res.body.message_id as string;

    const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
    expect(mail.parsed.subject).toBe('Your verification code');
    expect(mail.parsed.text).toContain('847291');
    expect(mail.parsed.html).toContain('847291');
    expect(mail.parsed.messageId).toBe(`<${id}@sendarix.localhost>`);
    expect(mail.parsed.date).toBeInstanceOf(Date);
    expect(mail.parsed.from?.value[0]?.address).toBe('tests@sendarix.test');
    expect(mail.envelope.from).toBe(`bounces+${id}@sendarix.localhost`);
    expect(mail.parsed.headers.get('x-idempotency-key')).toBeUndefined();

    const message = await finalState(id, 'delivered');
    expect(eventTypes(message)).toEqual(['message.queued', 'message.accepted', 'message.delivered']);
    expect(message.last_response).toMatchObject({ kind: 'delivered', responseCode: 250 });
    expect(message.attempts).toBe(1);
    expect(message.completed_at).not.toBeNull();
    expect(message.temporal.workflow_id).toBe(`message-${id}`);
  });

  it('carries search attributes so an operator finds the message in Temporal by status and recipient domain', async () => {
    const domain = `sa-${randomUUID().slice(0, 8)}.example`;
    const res = await sx.api('POST', '/v1/messages', otpRequest(`op@${domain}`));
    await finalState(res.body.message_id, 'delivered');
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of temporal.workflow.list({ query: `SendarixRecipientDomain = '${domain}' AND SendarixStatus = 'delivered'` })) {
        ids.push(wf.workflowId);
      }
      return ids.length > 0 ? ids : undefined;
    }, 20_000, 'visibility');
    expect(found).toEqual([`message-${res.body.message_id}`]);
    const description = await temporal.workflow.getHandle(`message-${res.body.message_id}`).describe();
    expect(description.typedSearchAttributes.get({ name: 'SendarixTemplate', type: 'KEYWORD' } as never)).toBe('otp-code');
  });
});

describe('idempotency', () => {
  it('returns the original response for the same key and sends nothing new', async () => {
    const recipient = `idem-${randomUUID().slice(0, 8)}@example.com`;
    const body = otpRequest(recipient);
    const first = await sx.api('POST', '/v1/messages', body);
    await finalState(first.body.message_id, 'delivered');
    const second = await sx.api('POST', '/v1/messages', body);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    await new Promise((r) => setTimeout(r, 1500));
    expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(1);
  });

  it('honours the Idempotency-Key HTTP header as well', async () => {
    const recipient = `idem-h-${randomUUID().slice(0, 8)}@example.com`;
    const body: Record<string, unknown> = otpRequest(recipient);
    delete body.headers;
    const key = randomUUID();
    const first = await sx.api('POST', '/v1/messages', body, { 'idempotency-key': key });
    const second = await sx.api('POST', '/v1/messages', body, { 'idempotency-key': key });
    expect(second.body.message_id).toBe(first.body.message_id);
  });

  it('refuses the same key with a different body, naming the error', async () => {
    const key = randomUUID();
    const first = await sx.api('POST', '/v1/messages', otpRequest('a@example.com', key));
    expect(first.status).toBe(202);
    const other = await sx.api('POST', '/v1/messages', { ...otpRequest('b@example.com', key) });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('makes exactly one message and one DATA from ten concurrent identical requests', async () => {
    const recipient = `conc-${randomUUID().slice(0, 8)}@example.com`;
    const body = otpRequest(recipient);
    const responses = await Promise.all(Array.from({ length: 10 }, () => sx.api('POST', '/v1/messages', body)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(new Set(responses.map((r) => r.body.message_id)).size).toBe(1);
    await finalState(responses[0]?.body.message_id, 'delivered');
    await new Promise((r) => setTimeout(r, 1500));
    expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(1);
    const list = await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`);
    expect(list.body.data).toHaveLength(1);
  });
});

describe('SMTP outcomes', () => {
  it('bounces on 550, suppresses the address, and ends the next message to it suppressed without SMTP', async () => {
    const recipient = `gone-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(recipient, { code: 550, enhanced: '5.1.1', message: 'No such user' });
    const first = await sx.api('POST', '/v1/messages', otpRequest(recipient));
    const bounced = await finalState(first.body.message_id, 'bounced');
    expect(eventTypes(bounced)).toEqual(['message.queued', 'message.accepted', 'message.bounced']);
    expect(bounced.events[2].data).toMatchObject({ bounce_type: 'hard', smtp: { responseCode: 550, enhancedStatus: '5.1.1' } });
    const attemptsBefore = peer.rcptAttempts.get(recipient) ?? 0;

    const second = await sx.api('POST', '/v1/messages', otpRequest(recipient.toUpperCase().replace('EXAMPLE.COM', 'Example.com')));
    const suppressed = await finalState(second.body.message_id, 'suppressed');
    expect(eventTypes(suppressed)).toEqual(['message.queued', 'message.suppressed']);
    expect(suppressed.events[1].data).toMatchObject({ reason: 'hard_bounce' });
    expect(peer.rcptAttempts.get(recipient) ?? 0).toBe(attemptsBefore);
  });

  it('defers on greylisting and delivers on a later attempt', async () => {
    const recipient = `grey-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(recipient, { sequence: [{ code: 451, enhanced: '4.7.1', message: 'Greylisted' }, { code: 451, message: 'Greylisted' }, { code: 250 }] });
    const res = await sx.api('POST', '/v1/messages', otpRequest(recipient));
    const message = await finalState(res.body.message_id, 'delivered');
    expect(eventTypes(message)).toEqual(['message.queued', 'message.accepted', 'message.deferred', 'message.deferred', 'message.delivered']);
    expect(message.events[2].data).toMatchObject({ attempt: 1, smtp: { kind: 'temporary', responseCode: 451 } });
    expect(message.attempts).toBe(3);
  });

  it('bounces soft after the sixth failed attempt and leaves the address unsuppressed', async () => {
    const recipient = `full-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(recipient, { code: 452, enhanced: '4.2.2', message: 'Mailbox full' });
    const res = await sx.api('POST', '/v1/messages', otpRequest(recipient));
    const message = await finalState(res.body.message_id, 'bounced', 60_000);
    const types = eventTypes(message);
    expect(types.filter((t) => t === 'message.deferred')).toHaveLength(5);
    expect(types.at(-1)).toBe('message.bounced');
    expect(message.events.at(-1).data).toMatchObject({ bounce_type: 'soft', reason: 'retries_exhausted', attempt: 6 });
    expect(message.attempts).toBe(6);
    peer.setBehaviour(recipient, { code: 250 });
    const next = await sx.api('POST', '/v1/messages', otpRequest(recipient));
    await finalState(next.body.message_id, 'delivered');
  });

  it('treats a dropped connection as temporary and never marks it delivered', async () => {
    const recipient = `drop-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(recipient, { sequence: [{ drop: 'data' }, { code: 250 }] });
    const res = await sx.api('POST', '/v1/messages', otpRequest(recipient));
    const message = await finalState(res.body.message_id, 'delivered');
    expect(eventTypes(message)).toEqual(['message.queued', 'message.accepted', 'message.deferred', 'message.delivered']);
    expect(message.events[2].data.smtp.kind).toBe('temporary');
  });
});

describe('scheduling and cancelling', () => {
  it('holds a scheduled message until its time and cancels it on DELETE', async () => {
    const recipient = `sched-${randomUUID().slice(0, 8)}@example.com`;
    const when = new Date(Date.now() + 60 * 60 * 1000).toISOString().replace('Z', '+00:00');
    const res = await sx.api('POST', '/v1/messages', { ...otpRequest(recipient), scheduled_time: when });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('scheduled');
    const id = res.body.message_id as string;
    expect((await sx.api('GET', `/v1/messages/${id}`)).body.status).toBe('scheduled');
    const live = await temporal.workflow.getHandle(`message-${id}`).query(stateQuery);
    expect(live).toMatchObject({ messageId: id, status: 'scheduled', attempts: 0 });

    const del = await sx.api('DELETE', `/v1/messages/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message_id: id, status: 'cancelled' });
    const message = await finalState(id, 'cancelled');
    expect(eventTypes(message)).toEqual(['message.scheduled', 'message.cancelled']);
    expect(peer.rcptAttempts.get(recipient)).toBeUndefined();
  });

  it('sends a scheduled message at its time', async () => {
    const recipient = `soon-${randomUUID().slice(0, 8)}@example.com`;
    const when = new Date(Date.now() + 3000).toISOString();
    const res = await sx.api('POST', '/v1/messages', { ...otpRequest(recipient), scheduled_time: when });
    expect(res.body.status).toBe('scheduled');
    const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(when));
    expect(mail.parsed.subject).toBe('Your verification code');
  });

  it('sends at once when scheduled_time is already past', async () => {
    const res = await sx.api('POST', '/v1/messages', { ...otpRequest('past@example.com'), scheduled_time: '2020-01-01T00:00:00Z' });
    expect(res.body.status).toBe('queued');
    await finalState(res.body.message_id, 'delivered');
  });

  it('cancels a message waiting for a retry', async () => {
    const recipient = `wait-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(recipient, { code: 451, message: 'try later' });
    const sx2Body = otpRequest(recipient);
    const res = await sx.api('POST', '/v1/messages', sx2Body);
    const id = res.body.message_id as string;
    await finalState(id, 'deferred');
    const del = await sx.api('DELETE', `/v1/messages/${id}`);
    expect([200, 202]).toContain(del.status);
    const message = await finalState(id, 'cancelled');
    expect(eventTypes(message)).toContain('message.cancelled');
  });

  it('answers 404 to DELETE once the message was sent, and for an unknown id', async () => {
    const res = await sx.api('POST', '/v1/messages', otpRequest(`sent-${randomUUID().slice(0, 8)}@example.com`));
    await finalState(res.body.message_id, 'delivered');
    const del = await sx.api('DELETE', `/v1/messages/${res.body.message_id}`);
    expect(del.status).toBe(404);
    expect(del.body.error.code).toBe('message_already_sent');
    const unknown = await sx.api('DELETE', '/v1/messages/msg_doesnotexist');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });
});

describe('reading messages', () => {
  it('lists with cursor pagination and filters by status, recipient and date range', async () => {
    const recipient = `list-${randomUUID().slice(0, 8)}@example.com`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await sx.api('POST', '/v1/messages', otpRequest(recipient));
      ids.push(res.body.message_id);
    }
    for (const id of ids) await finalState(id, 'delivered');
    const page1 = await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}&limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}&limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.next_cursor).toBeNull();
    const seen = [...page1.body.data, ...page2.body.data].map((m: { message_id: string }) => m.message_id);
    expect(seen.sort()).toEqual([...ids].sort());

    const delivered = await sx.api('GET', `/v1/messages?status=delivered&recipient=${encodeURIComponent(recipient)}`);
    expect(delivered.body.data).toHaveLength(3);
    const bounced = await sx.api('GET', `/v1/messages?status=bounced&recipient=${encodeURIComponent(recipient)}`);
    expect(bounced.body.data).toHaveLength(0);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await sx.api('GET', `/v1/messages?created_from=${future}&recipient=${encodeURIComponent(recipient)}`);
    expect(none.body.data).toHaveLength(0);
    const bad = await sx.api('GET', '/v1/messages?status=lost');
    expect(bad.status).toBe(422);
  });

  it('hides another project\'s messages behind 404', async () => {
    const project = await sx.api('POST', '/v1/projects', { name: 'other', default_from: 'other@sendarix.test' });
    expect(project.status).toBe(201);
    const res = await sx.api('POST', '/v1/messages', otpRequest(`iso-${randomUUID().slice(0, 8)}@example.com`));
    const otherKey = { authorization: `Bearer ${project.body.api_key}` };
    const get = await sx.api('GET', `/v1/messages/${res.body.message_id}`, undefined, otherKey);
    expect(get.status).toBe(404);
    const del = await sx.api('DELETE', `/v1/messages/${res.body.message_id}`, undefined, otherKey);
    expect(del.status).toBe(404);
    const list = await sx.api('GET', '/v1/messages', undefined, otherKey);
    expect(list.body.data).toHaveLength(0);
  });

  it('reports health 200 when the database and Temporal answer', async () => {
    const res = await sx.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ database: 'ok', temporal: 'ok' });
  });
});
