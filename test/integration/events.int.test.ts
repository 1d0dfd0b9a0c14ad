// GET /v1/events on real parts: messages sent through Temporal to a real SMTP peer, then their events searched by
// message, recipient, type, route and time, paged by cursor, and kept within the caller's project.
import { randomUUID } from 'node:crypto';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
const other = { key: '' };
const tag = randomUUID().slice(0, 8);
const alice = `alice-${tag}@example.com`;
const bob = `bob-${tag}@example.com`;
const sent: { id: string; recipient: string }[] = [];
let route = '';

interface EventItem {
  id: string;
  type: string;
  message_id: string;
  sequence: number;
  recipient: string;
  route: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

async function finalStatus(id: string, status: string) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`);
    return res.body.status === status ? res.body : undefined;
  }, 30_000, `message ${id} to become ${status}`);
}

const events = async (query: string, key?: string) => {
  const res = await sx.api('GET', `/v1/events${query}`, undefined, key ? { authorization: `Bearer ${key}` } : {});
  expect(res.status).toBe(200);
  return res.body as { data: EventItem[]; next_cursor: string | null };
};

/** Every event of this test's messages, newest first, read page by page. */
async function allPages(query: string, limit: number): Promise<{ items: EventItem[]; pages: number }> {
  const items: EventItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await events(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.data);
    cursor = page.next_cursor;
    pages++;
  } while (cursor && pages < 100);
  return { items, pages };
}

const mine = (items: EventItem[]) => items.filter((e) => sent.some((m) => m.id === e.message_id));

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({ smtpUrl: peer.url });
  peer.setBehaviour(bob, { code: 550, enhanced: '5.1.1', message: 'No such user' });
  for (const recipient of [alice, alice, bob, alice]) {
    const res = await sx.api('POST', '/v1/messages', { recipient, subject: 'Hello', text: 'Hi' });
    expect(res.status).toBe(202);
    sent.push({ id: res.body.message_id, recipient });
  }
  for (const m of sent) await finalStatus(m.id, m.recipient === bob ? 'bounced' : 'delivered');
  route = (await sx.api('GET', `/v1/messages/${sent[0]?.id}`)).body.route;
  const second = { name: `events ${tag}`, default_from: 'Shop <shop@shop.test>' };
  const project = await sx.api('POST', '/v1/projects', second);
  other.key = project.body.api_key;
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

describe('GET /v1/events', () => {
  it('lists events newest first with their message, recipient, route and message.* type', async () => {
    const page = await events('?limit=100');
    const items = mine(page.data);
    expect(items).toHaveLength(sent.length * 3);
    const times = items.map((e) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    const delivered = items.find((e) => e.type === 'message.delivered' && e.message_id === sent[0]?.id);
    expect(delivered).toMatchObject({
      id: expect.stringMatching(/^evt_/), sequence: 2, recipient: alice, route,
      data: expect.objectContaining({ attempt: 1 }), created_at: expect.stringMatching(/Z$/),
    });
  });

  it("filters by message id: that message's timeline, newest first", async () => {
    const id = sent[1]?.id as string;
    const page = await events(`?message_id=${id}`);
    expect(page.data.map((e) => [e.type, e.sequence])).toEqual([
      ['message.delivered', 2], ['message.accepted', 1], ['message.queued', 0],
    ]);
    expect(page.next_cursor).toBeNull();
  });

  it('filters by recipient, matched as sending matches it (domain case ignored)', async () => {
    const shouted = alice.replace('example.com', 'EXAMPLE.com');
    const page = await events(`?recipient=${encodeURIComponent(shouted)}&limit=100`);
    expect(page.data).toHaveLength(9);
    expect(new Set(page.data.map((e) => e.recipient))).toEqual(new Set([alice]));
    expect((await events(`?recipient=${encodeURIComponent(`nobody-${tag}@example.com`)}`)).data).toEqual([]);
  });

  it('filters by type, written as message.<event>', async () => {
    const bounced = mine((await events('?type=message.bounced&limit=100')).data);
    expect(bounced.map((e) => e.recipient)).toEqual([bob]);
    const smtp = expect.objectContaining({ responseCode: 550 });
    expect(bounced[0]?.data).toMatchObject({ bounce_type: 'hard', smtp });
    const delivered = mine((await events(`?type=message.delivered&recipient=${encodeURIComponent(alice)}`)).data);
    expect(delivered).toHaveLength(3);
    expect((await events('?type=message.unsubscribed')).data).toEqual([]);
  });

  it('filters by route', async () => {
    expect(mine((await events(`?route=${encodeURIComponent(route)}&limit=100`)).data)).toHaveLength(12);
    expect((await events('?route=no-such-route')).data).toEqual([]);
  });

  it('filters by time: from is inclusive, to exclusive', async () => {
    const timeline = (await events(`?message_id=${sent[3]?.id}`)).data;
    const accepted = timeline.find((e) => e.type === 'message.accepted') as EventItem;
    const at = encodeURIComponent(accepted.created_at);
    const from = (await events(`?message_id=${sent[3]?.id}&from=${at}`)).data;
    expect(from.map((e) => e.type)).toEqual(['message.delivered', 'message.accepted']);
    const to = (await events(`?message_id=${sent[3]?.id}&to=${at}`)).data;
    expect(to.map((e) => e.type)).toEqual(['message.queued']);
    const offset = new Date(Date.parse(accepted.created_at) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect((await events(`?message_id=${sent[3]?.id}&from=${encodeURIComponent(offset)}`)).data).toHaveLength(2);
  });

  it('pages by cursor without gaps or repeats, in the same order as one page', async () => {
    const query = `?route=${encodeURIComponent(route)}`;
    const whole = mine((await events(`${query}&limit=100`)).data).map((e) => e.id);
    const { items, pages } = await allPages(query, 5);
    const paged = mine(items).map((e) => e.id);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(paged).toEqual(whole);
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
  });

  it('pages with filters combined', async () => {
    const { items } = await allPages(`?recipient=${encodeURIComponent(alice)}&type=message.queued`, 1);
    const toAlice = sent.filter((m) => m.recipient === alice).map((m) => m.id);
    expect(items.map((e) => e.message_id).sort()).toEqual(toAlice.sort());
  });

  it("matches recipients under the project's subaddress setting", async () => {
    const as = { authorization: `Bearer ${other.key}` };
    const patch = await sx.api('PATCH', '/v1/projects/current', { suppression_ignores_subaddress: true }, as);
    expect(patch.status).toBe(200);
    const carol = `carol-${tag}@example.com`;
    const body = { recipient: carol.replace('@', '+news@'), subject: 'Hi', text: 'Hi' };
    const sentToTag = await sx.api('POST', '/v1/messages', body, as);
    expect(sentToTag.status).toBe(202);
    for (const query of [carol, carol.replace('@', '+other@')]) {
      const found = await events(`?recipient=${encodeURIComponent(query)}&type=message.queued`, other.key);
      expect(found.data.map((e) => e.message_id)).toEqual([sentToTag.body.message_id]);
    }
  });

  it("shows nothing of another project, not even for the other project's message id", async () => {
    expect(mine((await events('?limit=100', other.key)).data)).toEqual([]);
    expect((await events(`?message_id=${sent[0]?.id}`, other.key)).data).toEqual([]);
    expect((await events(`?recipient=${encodeURIComponent(alice)}`, other.key)).data).toEqual([]);
  });

  it.each([
    ['a type without its prefix', '?type=delivered', 'type'],
    ['an unknown type', '?type=message.opened', 'type'],
    ['a date without time and offset', '?from=2026-01-01', 'from'],
    ['a time without offset', '?to=2026-01-01T10:00:00', 'to'],
    ['from after to', '?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ['a cursor it did not give', '?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['a limit over 100', '?limit=101', 'limit'],
    ['a recipient that is no address', '?recipient=not-an-address', 'recipient'],
    ['an unknown parameter', '?status=delivered', 'status'],
  ])('answers 422 with the field for %s', async (_what, query, field) => {
    const res = await sx.api('GET', `/v1/events${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('needs the read scope', async () => {
    const key = await sx.api('POST', '/v1/keys', { label: `send only ${tag}`, scopes: ['send'] });
    expect(key.status).toBe(201);
    const res = await sx.api('GET', '/v1/events', undefined, { authorization: `Bearer ${key.body.secret}` });
    expect(res.status).toBe(403);
    const wrong = { authorization: 'Bearer sk_live_wrong000000000000000000' };
    expect((await sx.api('GET', '/v1/events', undefined, wrong)).status).toBe(401);
  });
});
