// Dead letters on real parts: messages that the SMTP peer refuses for good (550) or keeps deferring (452 until
// the retries run out) land in /v1/dead-letters, and a retry sends them again in a new workflow run.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
let temporal: Client;
let otherKey = '';
const tag = randomUUID().slice(0, 8);
const hard = `hard-${tag}@example.com`;
const soft = `soft-${tag}@example.com`;
const ids = { hard: '', soft: '', delivered: '' };

const REFUSED = { code: 550, enhanced: '5.1.1', message: 'No such user' } as const;
const DEFERRED = { code: 452, enhanced: '4.2.2', message: 'Mailbox full, try later' } as const;

async function finalState(id: string, status: string, timeoutMs = 30_000) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`);
    return res.body.status === status ? res.body : undefined;
  }, timeoutMs, `message ${id} to become ${status}`);
}

async function deadLetter(id: string) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/dead-letters/${id}`);
    return res.status === 200 ? res.body : undefined;
  }, 30_000, `a dead letter for ${id}`);
}

const send = async (recipient: string) => {
  const res = await sx.api('POST', '/v1/messages', { recipient, subject: 'Receipt', text: 'Thanks' });
  expect(res.status).toBe(202);
  return res.body.message_id as string;
};

const sequences = (m: { events: { sequence: number }[] }) => m.events.map((e) => e.sequence);

beforeAll(async () => {
  peer = await startSmtpPeer();
  // Two retry delays: a deferred message bounces after its third attempt, within a second or two.
  sx = await startSendarix({ smtpUrl: peer.url, env: { SENDARIX_RETRY_SCHEDULE: '300ms,300ms' } });
  const address = process.env.SENDARIX_TEST_TEMPORAL_ADDRESS as string;
  temporal = new Client({ connection: await Connection.connect({ address }) });
  peer.setBehaviour(hard, REFUSED);
  peer.setBehaviour(soft, DEFERRED);
  ids.hard = await send(hard);
  ids.soft = await send(soft);
  ids.delivered = await send(`fine-${tag}@example.com`);
  await finalState(ids.hard, 'bounced');
  await finalState(ids.soft, 'bounced');
  await finalState(ids.delivered, 'delivered');
  const second = { name: `dead letters ${tag}`, default_from: 'Shop <shop@shop.test>' };
  const project = await sx.api('POST', '/v1/projects', second);
  otherKey = project.body.api_key;
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
  await temporal?.connection.close();
});

describe('GET /v1/dead-letters', () => {
  it('lists bounced messages newest first with recipient, last SMTP answer and reason', async () => {
    const res = await sx.api('GET', '/v1/dead-letters');
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: { message_id: string }) => d.message_id)).toEqual([ids.soft, ids.hard]);
    expect(res.body.data[1]).toMatchObject({
      message_id: ids.hard, recipient: hard, reason: 'hard', attempts: 1,
      last_response: { kind: 'permanent', responseCode: 550, enhancedStatus: '5.1.1' },
      created_at: expect.stringMatching(/Z$/),
    });
    expect(res.body.data[0]).toMatchObject({
      recipient: soft, reason: 'retries_exhausted', attempts: 3, last_response: { responseCode: 452 },
    });
    expect(res.body.next_cursor).toBeNull();
  });

  it('pages by cursor', async () => {
    const first = await sx.api('GET', '/v1/dead-letters?limit=1');
    expect(first.body.data.map((d: { message_id: string }) => d.message_id)).toEqual([ids.soft]);
    const second = await sx.api('GET', `/v1/dead-letters?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.data.map((d: { message_id: string }) => d.message_id)).toEqual([ids.hard]);
    expect(second.body.next_cursor).toBeNull();
    expect((await sx.api('GET', '/v1/dead-letters?cursor=bm9wZQ')).status).toBe(422);
  });

  it('reads one dead letter with its message timeline; a delivered message is none', async () => {
    const res = await sx.api('GET', `/v1/dead-letters/${ids.hard}`);
    expect(res.status).toBe(200);
    const types = res.body.message.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['message.queued', 'message.accepted', 'message.bounced']);
    expect((await sx.api('GET', `/v1/dead-letters/${ids.delivered}`)).status).toBe(404);
  });

  it("answers another project's dead letter as a missing one, and lists none of them", async () => {
    const as = { authorization: `Bearer ${otherKey}` };
    const theirs = await sx.api('GET', `/v1/dead-letters/${ids.hard}`, undefined, as);
    expect(theirs.status).toBe(404);
    expect((await sx.api('POST', `/v1/dead-letters/${ids.hard}/retry`, undefined, as)).status).toBe(404);
    expect((await sx.api('GET', '/v1/dead-letters', undefined, as)).body.data).toEqual([]);
  });
});

describe('POST /v1/dead-letters/{id}/retry', () => {
  it('needs the send scope', async () => {
    const key = await sx.api('POST', '/v1/keys', { label: `read only ${tag}`, scopes: ['read'] });
    const as = { authorization: `Bearer ${key.body.secret}` };
    const res = await sx.api('POST', `/v1/dead-letters/${ids.hard}/retry`, undefined, as);
    expect(res.status).toBe(403);
  });

  it('refuses while the hard bounce keeps the recipient suppressed, then delivers once it is lifted', async () => {
    const refused = await sx.api('POST', `/v1/dead-letters/${ids.hard}/retry`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('recipient_suppressed');
    expect((await sx.api('GET', `/v1/dead-letters/${ids.hard}`)).status).toBe(200);

    expect((await sx.api('DELETE', `/v1/suppressions/${encodeURIComponent(hard)}`)).status).toBe(200);
    peer.setBehaviour(hard, { code: 250 });
    const res = await sx.api('POST', `/v1/dead-letters/${ids.hard}/retry`);
    expect(res.status).toBe(202);
    const workflowId = `message-${ids.hard}-retry-1`;
    expect(res.body).toEqual({ message_id: ids.hard, status: 'queued', retry: 1, workflow_id: workflowId });

    await peer.waitFor((m) => m.envelope.to.includes(hard), 30_000);
    const message = await finalState(ids.hard, 'delivered');
    expect(message.temporal.workflow_id).toBe(workflowId);
    expect(message.events.map((e: { type: string }) => e.type)).toEqual([
      'message.queued', 'message.accepted', 'message.bounced',
      'message.queued', 'message.accepted', 'message.delivered',
    ]);
    expect(sequences(message)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(message.events[3].data).toEqual({ retry: 1 });
    expect(message.completed_at).not.toBeNull();
    expect((await sx.api('GET', `/v1/dead-letters/${ids.hard}`)).status).toBe(404);
    // The message row says delivered as soon as the SMTP attempt is recorded; its workflow ends a task later.
    const handle = temporal.workflow.getHandle(workflowId);
    await eventually(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined), 10_000,
      'the retry workflow to complete');
  });

  it('retries a soft bounce (no suppression) and numbers each new run', async () => {
    const first = await sx.api('POST', `/v1/dead-letters/${ids.soft}/retry`);
    expect(first.body).toMatchObject({ retry: 1, workflow_id: `message-${ids.soft}-retry-1` });
    // Still deferred: the retry runs out of attempts again and the message is a dead letter once more.
    await eventually(async () => {
      const res = await sx.api('GET', `/v1/dead-letters/${ids.soft}`);
      return res.status === 200 && res.body.message.temporal.workflow_id.endsWith('-retry-1') ? true : undefined;
    }, 30_000, 'the first retry to bounce');

    peer.setBehaviour(soft, { code: 250 });
    const second = await sx.api('POST', `/v1/dead-letters/${ids.soft}/retry`);
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ retry: 2, workflow_id: `message-${ids.soft}-retry-2` });
    const message = await finalState(ids.soft, 'delivered');
    const types = message.events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'message.bounced')).toHaveLength(2);
    const queued = message.events.filter((e: { type: string }) => e.type === 'message.queued');
    expect(queued.map((e: { data: object }) => e.data)).toEqual([{}, { retry: 1 }, { retry: 2 }]);
    expect(sequences(message)).toEqual(message.events.map((_e: unknown, i: number) => i));
    expect(message.attempts).toBe(1);
  });

  it('lets only one of two concurrent retries through', async () => {
    const recipient = `race-${tag}@example.com`;
    peer.setBehaviour(recipient, DEFERRED);
    const id = await send(recipient);
    await deadLetter(id);
    peer.setBehaviour(recipient, { code: 250 });
    const answers = await Promise.all([1, 2].map(() => sx.api('POST', `/v1/dead-letters/${id}/retry`)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 404]);
    const message = await finalState(id, 'delivered');
    expect(message.events.filter((e: { type: string }) => e.type === 'message.queued')).toHaveLength(2);
  });

  it('answers 404 for a message that is not a dead letter', async () => {
    const res = await sx.api('POST', `/v1/dead-letters/${ids.delivered}/retry`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
