// Projects isolate everything. For every /v1 route with a path parameter (read from the routers at test time),
// a second project's key gets the same 404 for project A's resource as for one that does not exist, and
// changes nothing; no list shows A's items to B. A resource type whose routes exist needs a fixture below.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomId } from '../../src/ids';
import { apiRoutes, describeRoute, fillPath, type ApiRoute } from '../support/api-routes';
import { eventually, startSendarix, type ApiResponse, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
/** Where project A's webhook endpoint points: a loopback receiver answering 200 to everything. */
let receiver: http.Server;
let receiverUrl = '';
const A = { id: '', key: '' };
const B = { id: '', key: '' };
/** The secret of the key fixture, made in project A. */
let aKeySecret = '';

interface Resource {
  /** Path parameter values naming the resource. */
  params: Record<string, string>;
  /** Strings that only this resource's answers contain (ids, names, addresses). */
  markers: string[];
  /** A valid body for a route that checks its body before looking the resource up, by `METHOD path`. */
  bodies?: Record<string, unknown>;
}

interface Fixture {
  /** The collection; every route under it names this fixture's resource. */
  prefix: string;
  create(): Promise<Resource>;
}

const as = (secret: string) => ({ authorization: `Bearer ${secret}` });
const unique = () => randomUUID().slice(0, 8);

async function created(res: Promise<ApiResponse>, status = 201): Promise<ApiResponse> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`fixture not created: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

const FIXTURES: Fixture[] = [
  {
    prefix: '/v1/messages',
    create: async () => {
      // Scheduled a day ahead, so that a cancellation leaking across projects would show in its status.
      const recipient = `iso-${unique()}@example.com`;
      const scheduled_time = new Date(Date.now() + 86_400_000).toISOString();
      const res = await created(
        sx.api('POST', '/v1/messages', { recipient, subject: 'Invoice', text: 'Hi', scheduled_time }, as(A.key)),
        202,
      );
      return { params: { id: res.body.message_id }, markers: [res.body.message_id, recipient] };
    },
  },
  {
    prefix: '/v1/keys',
    create: async () => {
      const label = `iso-key-${unique()}`;
      const res = await created(sx.api('POST', '/v1/keys', { label, scopes: ['read'] }, as(A.key)));
      aKeySecret = res.body.secret;
      return { params: { id: res.body.id }, markers: [res.body.id, label, res.body.prefix] };
    },
  },
  {
    prefix: '/v1/domains',
    create: async () => {
      const name = `iso-${unique()}.example`;
      const res = await created(sx.api('POST', '/v1/domains', { name }, as(A.key)));
      return { params: { id: res.body.id }, markers: [res.body.id, name] };
    },
  },
  ...['/v1/suppressions', '/v1/unsubscribes'].map((prefix) => ({
    prefix,
    create: async () => {
      const recipient = `iso-supp-${unique()}@example.com`;
      await created(sx.api('POST', prefix, { recipient }, as(A.key)));
      return { params: { recipient }, markers: [recipient] };
    },
  })),
  {
    prefix: '/v1/templates',
    create: async () => {
      const name = `iso-${unique()}`;
      const body = { name, subject: 'Hello {{name}}', text: 'Hi {{name}}' };
      await created(sx.api('POST', '/v1/templates', body, as(A.key)));
      return { params: { name }, markers: [name] };
    },
  },
  {
    prefix: '/v1/dead-letters',
    create: async () => {
      const recipient = `iso-dead-${unique()}@example.com`;
      peer.setBehaviour(recipient, { code: 550, enhanced: '5.1.1', message: 'No such user' });
      const message = { recipient, subject: 'Hi', text: 'Hi' };
      const sent = await created(sx.api('POST', '/v1/messages', message, as(A.key)), 202);
      const id = sent.body.message_id as string;
      await eventually(async () => {
        const res = await sx.api('GET', `/v1/dead-letters/${id}`, undefined, as(A.key));
        return res.status === 200 ? true : undefined;
      }, 30_000, 'a dead letter in project A');
      return { params: { id }, markers: [id, recipient] };
    },
  },
  {
    prefix: '/v1/webhooks',
    create: async () => {
      const url = `${receiverUrl}/hooks-${unique()}`;
      const endpoint = await created(sx.api('POST', '/v1/webhooks', { url }, as(A.key)));
      const id = endpoint.body.id as string;
      // An event of A's gives the endpoint a delivery to name in /deliveries/:deliveryId.
      const message = { recipient: `hook-${unique()}@example.com`, subject: 'Hi', text: 'Hi' };
      await created(sx.api('POST', '/v1/messages', message, as(A.key)), 202);
      const delivery = await eventually(async () => {
        const list = await sx.api('GET', `/v1/webhooks/${id}/deliveries`, undefined, as(A.key));
        return list.body.data?.[0] as { id: string } | undefined;
      }, 30_000, 'a webhook delivery in project A');
      // Disabling, so that a PATCH leaking across projects would show in the endpoint.
      const bodies = { 'PATCH /v1/webhooks/:id': { enabled: false } };
      return { params: { id, deliveryId: delivery.id }, markers: [id, url, delivery.id], bodies };
    },
  },
];

const resources = new Map<string, Resource>();
const V1_ROUTES = apiRoutes().filter((r) => r.path.startsWith('/v1/'));
const PARAM_ROUTES = V1_ROUTES.filter((r) => r.params.length > 0);
const LIST_ROUTES = V1_ROUTES.filter((r) => r.method === 'GET' && r.params.length === 0);
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
const fixtureOf = (route: ApiRoute) => FIXTURES.find((f) => under(route.path, f.prefix));

beforeAll(async () => {
  peer = await startSmtpPeer();
  receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('ok')));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  sx = await startSendarix({ smtpUrl: peer.url, env: { SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true' } });
  for (const project of [A, B]) {
    const body = { name: `isolation ${unique()}`, default_from: 'Shop <shop@shop.test>' };
    const res = await sx.api('POST', '/v1/projects', body);
    Object.assign(project, { id: res.body.id, key: res.body.api_key });
  }
  const wanted = FIXTURES.filter((f) => V1_ROUTES.some((r) => under(r.path, f.prefix)));
  for (const fixture of wanted) resources.set(fixture.prefix, await fixture.create());
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** A value of the same shape that names nothing: `msg_…` stays `msg_…`, a name or address stays one. */
function missingLike(value: string): string {
  const id = /^([a-z]+)_[a-z2-7]{26}$/.exec(value);
  if (id) return randomId(id[1] as string);
  const hex = /^([a-z]+)_([0-9a-f]+)$/.exec(value);
  if (hex) return `${hex[1]}_${'0'.repeat((hex[2] as string).length)}`;
  return `missing${unique()}-${value}`;
}

/** The body with the parameter values written as `<name>`, so that two answers about different ids compare. */
function normalised(body: unknown, values: Record<string, string>): string {
  let text = JSON.stringify(body);
  for (const [name, value] of Object.entries(values)) text = text.split(value).join(`<${name}>`);
  return text;
}

function call(route: ApiRoute, values: Record<string, string>, secret: string, bodies: Resource['bodies'] = {}) {
  const body = bodies[describeRoute(route)] ?? (['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined);
  return sx.api(route.method, fillPath(route.path, (p) => values[p] ?? ''), body, as(secret));
}

it('finds the resource routes in the routers, and a fixture for each', () => {
  expect(PARAM_ROUTES.map(describeRoute)).toEqual(
    expect.arrayContaining([
      'GET /v1/messages/:id', 'DELETE /v1/messages/:id', 'GET /v1/keys/:id', 'DELETE /v1/keys/:id',
    ]),
  );
  const uncovered = PARAM_ROUTES.filter((r) => !fixtureOf(r)).map(describeRoute);
  expect(uncovered).toEqual([]);
});

describe("another project's resource answers exactly as a missing one", () => {
  it.each(PARAM_ROUTES.map((r) => [describeRoute(r), r] as const))('%s', async (_name, route) => {
    const resource = resources.get(fixtureOf(route)?.prefix ?? '');
    if (!resource) throw new Error(`no fixture for ${describeRoute(route)}: add one to FIXTURES`);
    const unknown = route.params.filter((p) => !(p in resource.params));
    expect(unknown).toEqual([]);
    const missing = Object.fromEntries(Object.entries(resource.params).map(([k, v]) => [k, missingLike(v)]));
    const foreign = await call(route, resource.params, B.key, resource.bodies);
    const absent = await call(route, missing, B.key, resource.bodies);
    expect(foreign.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(normalised(foreign.body, resource.params)).toBe(normalised(absent.body, missing));
  });

  it("left project A's resources as they were", async () => {
    for (const [prefix, resource] of resources) {
      const read = V1_ROUTES.find((r) => r.method === 'GET' && new RegExp(`^${prefix}/:\\w+$`).test(r.path));
      if (!read) continue;
      const res = await call(read, resource.params, A.key);
      expect({ prefix, status: res.status }).toEqual({ prefix, status: 200 });
      if (prefix === '/v1/messages') expect(res.body.status).toBe('scheduled');
      if (prefix === '/v1/keys') expect(res.body.revoked_at).toBeNull();
      if (prefix === '/v1/webhooks') expect(res.body.enabled).toBe(true);
    }
    expect((await sx.api('GET', '/v1/projects/current', undefined, as(aKeySecret))).status).toBe(200);
  });
});

describe('lists', () => {
  const lists = LIST_ROUTES.map((r) => [describeRoute(r), r] as const);
  it.each(lists)('%s shows nothing of another project', async (_n, route) => {
    const markers = [A.id, A.key, ...[...resources.values()].flatMap((r) => r.markers)];
    const theirs = await sx.api('GET', route.path, undefined, as(B.key));
    expect(theirs.status).toBe(200);
    const text = JSON.stringify(theirs.body);
    expect(markers.filter((m) => text.includes(m))).toEqual([]);
    // The same list read by A shows A's item, so the check above looks where the item would be.
    const own = resources.get(route.path);
    if (own) {
      const ours = await sx.api('GET', route.path, undefined, as(A.key));
      expect(JSON.stringify(ours.body)).toContain(own.markers[0]);
    }
  });

  it("filters within the caller's project: B finds no message to A's recipient", async () => {
    const recipient = resources.get('/v1/messages')?.markers[1] as string;
    const res = await sx.api('GET', `/v1/messages?recipient=${encodeURIComponent(recipient)}`, undefined, as(B.key));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });
});

describe('idempotency keys', () => {
  const message = { recipient: 'same@example.com', subject: 'Hi', text: 'Hi' };
  const send = (secret: string, key: string) =>
    sx.api('POST', '/v1/messages', message, { ...as(secret), 'idempotency-key': key });

  it("are per project: B's request with A's key makes B's own message, learning nothing of A's", async () => {
    const key = randomUUID();
    const first = await send(A.key, key);
    const second = await send(B.key, key);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.message_id).not.toBe(first.body.message_id);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
  });

  it('are per project for batches too', async () => {
    const key = randomUUID();
    const batch = (recipient: string) => ({ messages: [{ recipient, subject: 'Hi', text: 'Hi' }] });
    const headers = (secret: string) => ({ ...as(secret), 'idempotency-key': key });
    const first = await sx.api('POST', '/v1/messages/batch', batch('one@example.com'), headers(A.key));
    const second = await sx.api('POST', '/v1/messages/batch', batch('two@example.com'), headers(B.key));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.data[0].status).toBe(202);
    expect(second.body.data[0].message_id).not.toBe(first.body.data[0].message_id);
  });
});
