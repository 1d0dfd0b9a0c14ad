// Cursor pagination of GET /v1/domains and GET /v1/keys: the same `limit` / `cursor` / `next_cursor` contract and
// the same 422s as the other lists, and walking the pages returns every item exactly once, newest first.
import { randomUUID } from 'node:crypto';
import { startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

const ITEMS = 7;
const PAGE = 3;
let peer: SmtpPeer;
let sx: SendarixProcess;
/** A project of its own, so that its lists hold exactly what this file made. */
let key: string;
const made: Record<string, string[]> = { '/v1/domains': [], '/v1/keys': [] };

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({ smtpUrl: peer.url });
  const project = await sx.api('POST', '/v1/projects', { name: `paging-${randomUUID().slice(0, 8)}` });
  expect(project.status).toBe(201);
  key = project.body.api_key as string;
  // The project's first key is listed too.
  made['/v1/keys']?.push(...(await list('/v1/keys?limit=100')).body.data.map((k: { id: string }) => k.id));
  for (let i = 0; i < ITEMS; i++) {
    const domain = await list('/v1/domains', 'POST', { name: `page-${i}-${randomUUID().slice(0, 8)}.example` });
    expect(domain.status).toBe(201);
    made['/v1/domains']?.push(domain.body.id as string);
    const created = await list('/v1/keys', 'POST', { label: `page ${i}`, scopes: ['read'] });
    expect(created.status).toBe(201);
    made['/v1/keys']?.push(created.body.id as string);
  }
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

function list(path: string, method = 'GET', body?: unknown) {
  return sx.api(method, path, body, { authorization: `Bearer ${key}` });
}

describe.each(['/v1/domains', '/v1/keys'])('GET %s', (path) => {
  it(`walks pages of ${PAGE}: every item exactly once, newest first, and no cursor after the last`, async () => {
    const seen: string[] = [];
    const order: [string, string][] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await list(`${path}${query}`);
      expect(page.status).toBe(200);
      sizes.push(page.body.data.length);
      for (const item of page.body.data as { id: string; created_at: string }[]) {
        seen.push(item.id);
        order.push([item.created_at, item.id]);
      }
      cursor = page.body.next_cursor as string | null;
    } while (cursor !== null && sizes.length < 10);
    const expected = made[path] ?? [];
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(sizes.slice(0, -1).every((n) => n === PAGE)).toBe(true);
    const newestFirst = [...order].sort(([ta, ia], [tb, ib]) => tb.localeCompare(ta) || ib.localeCompare(ia));
    expect(order).toEqual(newestFirst);
  });

  it('defaults to a page of 25 with next_cursor null when everything fits', async () => {
    const res = await list(path);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength((made[path] ?? []).length);
    expect(res.body.next_cursor).toBeNull();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=two', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('yesterday|dom_x').toString('base64url')}`, 'cursor'],
    ['page=2', 'page'],
  ])('answers 422 to ?%s the way the other lists do', async (query, field) => {
    const res = await list(`${path}?${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    // The same query on another list answers the same body.
    const webhooks = await list(`/v1/webhooks?${query}`);
    expect(webhooks.status).toBe(422);
    expect(res.body).toEqual(webhooks.body);
  });
});
