// R6: the SMTP peer drops the connection in the middle of DATA, or takes the DATA and never answers. Either way the
// attempt is a deferral that is retried; a message is marked delivered only after a real 250.
import { randomUUID } from 'node:crypto';
import { SOCKET_TIMEOUT_MS } from '../../src/mail/transports';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { waitUntil } from './support/bounded';
import { reportFigures } from './support/report';
import { startSendarixOnPostgres, type SendarixOnPostgres } from './support/sendarix-pg';
import { startStallingPeer, type StallingPeer } from './support/stalling-peer';

const SETTLE_TIMEOUT_MS = 60_000;
jest.setTimeout(SOCKET_TIMEOUT_MS + 3 * 60_000);

interface ApiEvent {
  type: string;
  data: { smtp?: { kind?: string; reason?: string; stage?: string } };
}

async function finalMessage(s: SendarixOnPostgres, id: string, timeoutMs = SETTLE_TIMEOUT_MS) {
  let body: { status: string; attempts: number; events: ApiEvent[] } | undefined;
  await waitUntil(async () => {
    body = (await s.sx.api('GET', `/v1/messages/${id}`)).body;
    return body?.status === 'delivered' || body?.status === 'bounced';
  }, timeoutMs, `message ${id} to be final`, () => body?.status);
  return body as NonNullable<typeof body>;
}

const send = async (s: SendarixOnPostgres, recipient: string) => {
  const res = await s.sx.api('POST', '/v1/messages', { recipient, subject: 'Fault R6', text: 'dropped or stalled' });
  expect(res.status).toBe(202);
  return res.body.message_id as string;
};

const types = (events: ApiEvent[]) => events.map((e) => e.type);
const DEFERRED_ONCE = ['message.queued', 'message.accepted', 'message.deferred', 'message.delivered'];

describe('a peer that drops the connection mid-DATA', () => {
  let peer: SmtpPeer;
  let s: SendarixOnPostgres;

  beforeAll(async () => {
    peer = await startSmtpPeer();
    s = await startSendarixOnPostgres({ smtpUrl: peer.url });
  });

  afterAll(async () => {
    await s?.stop();
    await peer?.stop();
  });

  it('defers the attempt, retries it, and delivers exactly one copy', async () => {
    const recipient = `r6-drop-once-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(recipient, { sequence: [{ drop: 'data' }, { code: 250 }] });
    const message = await finalMessage(s, await send(s, recipient));
    expect(message.status).toBe('delivered');
    expect(message.attempts).toBe(2);
    expect(types(message.events)).toEqual(DEFERRED_ONCE);
    const deferral = message.events[2]?.data.smtp;
    expect(deferral).toMatchObject({ kind: 'temporary', reason: expect.stringMatching(/^connection_/) as string });
    expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(1);
  });

  it('never marks delivered a message whose every attempt is dropped: it bounces once retries run out', async () => {
    const recipient = `r6-drop-always-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(recipient, { drop: 'data' });
    const id = await send(s, recipient);
    const message = await finalMessage(s, id);
    expect(message.status).toBe('bounced');
    expect(message.attempts).toBe(6);
    expect(types(message.events)).not.toContain('message.delivered');
    expect(types(message.events).filter((t) => t === 'message.deferred')).toHaveLength(5);
    expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(0);
    const [row] = await s.db.query<{ smtp_accepted_at: Date | null }>(
      'SELECT smtp_accepted_at FROM messages WHERE id = $1',
      [id],
    );
    expect(row?.smtp_accepted_at).toBeNull();
  });
});

describe('a peer that takes the DATA and never answers', () => {
  let peer: StallingPeer;
  let s: SendarixOnPostgres;

  beforeAll(async () => {
    peer = await startStallingPeer();
    s = await startSendarixOnPostgres({ smtpUrl: peer.url });
  });

  afterAll(async () => {
    await s?.stop();
    await peer?.stop();
  });

  it('is not delivered while the peer is silent; the client times out, defers, retries and delivers once', async () => {
    const recipient = `r6-stall-${randomUUID().slice(0, 8)}@example.com`;
    peer.stallNext(recipient, 1);
    const started = Date.now();
    const id = await send(s, recipient);
    await waitUntil(async () => peer.stalled.get(recipient) === 1, SETTLE_TIMEOUT_MS, 'the stalled DATA');
    const during = (await s.sx.api('GET', `/v1/messages/${id}`)).body;
    expect(during.status).toBe('sending');
    expect(types(during.events)).not.toContain('message.delivered');

    const message = await finalMessage(s, id, SOCKET_TIMEOUT_MS + SETTLE_TIMEOUT_MS);
    const deliveredAfterMs = Date.now() - started;
    reportFigures('R6', { case: 'stall after DATA', delivered_after_ms: deliveredAfterMs });
    expect(message.status).toBe('delivered');
    expect(message.attempts).toBe(2);
    expect(types(message.events)).toEqual(DEFERRED_ONCE);
    expect(message.events[2]?.data.smtp).toMatchObject({ kind: 'temporary', reason: 'timeout' });
    expect(peer.accepted.get(recipient)).toBe(1);
  });
});
