// API keys and scopes on the running process: keys shown once and listed without secrets, the grant rule,
// immediate revocation, last_used_at, the key's own project, and a 403 naming the scope on EVERY /v1 route
// (read from the routers at test time, so routes added later are covered too).
import { SCOPES, type Scope } from '../../src/services/api-keys';
import { apiRoutes, describeRoute, fillPath, type ApiRoute } from '../support/api-routes';
import { request, type SendarixProcess } from '../support/sendarix';
import { withPeerAndSendarix } from '../support/with-peer';

let sx: SendarixProcess;
withPeerAndSendarix((world) => ({ sx } = world));

const as = (secret: string) => ({ authorization: `Bearer ${secret}` });
const KEY_FIELDS = ['id', 'label', 'environment', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at'];

async function newKey(scopes: readonly string[], opts: { environment?: 'live' | 'test' } = {}) {
  const res = await sx.api('POST', '/v1/keys', { label: `key ${scopes.join(',')}`, scopes, ...opts });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; prefix: string; scopes: string[] };
}

describe('POST /v1/keys', () => {
  it('answers 201 with the secret once, its environment in the prefix, and the key works at once', async () => {
    const body = { label: 'billing service', environment: 'live', scopes: ['send', 'read'] };
    const res = await sx.api('POST', '/v1/keys', body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^key_[a-z2-7]{26}$/),
      label: 'billing service',
      environment: 'live',
      prefix: res.body.secret.slice(0, 12),
      scopes: ['send', 'read'],
      created_at: expect.any(String),
      last_used_at: null,
      revoked_at: null,
      secret: expect.stringMatching(/^sk_live_[A-Za-z0-9]{32}$/),
    });
    const listed = await sx.api('GET', '/v1/messages', undefined, as(res.body.secret));
    expect(listed.status).toBe(200);
  });

  it('makes test keys with the sk_test_ prefix', async () => {
    const key = await newKey(['read'], { environment: 'test' });
    expect(key.secret).toMatch(/^sk_test_/);
    expect(key.prefix).toMatch(/^sk_test_[A-Za-z0-9]{4}$/);
  });

  it('refuses, naming it, a scope the calling key does not hold', async () => {
    const granter = await newKey(['keys', 'send']);
    const res = await sx.api('POST', '/v1/keys', { label: 'x', scopes: ['send', 'webhooks'] }, as(granter.secret));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.errors).toEqual([expect.objectContaining({ field: 'scopes', code: 'scope_not_held' })]);
    expect(res.body.error.errors[0].message).toContain('"webhooks"');
    const allowed = await sx.api('POST', '/v1/keys', { label: 'x', scopes: ['send'] }, as(granter.secret));
    expect(allowed.status).toBe(201);
  });

  it('lets only an admin key grant admin', async () => {
    const nonAdmin = await newKey(SCOPES.filter((s) => s !== 'admin'));
    const refused = await sx.api('POST', '/v1/keys', { label: 'x', scopes: ['admin'] }, as(nonAdmin.secret));
    expect(refused.status).toBe(422);
    expect(refused.body.error.errors[0].message).toContain('"admin"');
    const admin = await newKey(['admin']);
    expect(admin.scopes).toEqual(['admin']);
    const project = await sx.api('POST', '/v1/projects', { name: 'made by a granted admin' }, as(admin.secret));
    expect(project.status).toBe(201);
  });

  it.each([
    ['an unknown scope', { label: 'x', scopes: ['everything'] }, 'scopes.0'],
    ['no scopes', { label: 'x', scopes: [] }, 'scopes'],
    ['no label', { scopes: ['read'] }, 'label'],
    ['an unknown environment', { label: 'x', environment: 'prod', scopes: ['read'] }, 'environment'],
    ['an unknown field', { label: 'x', scopes: ['read'], secret: 'mine' }, 'secret'],
  ])('answers 422 to %s', async (_name, body, field) => {
    const res = await sx.api('POST', '/v1/keys', body);
    expect(res.status).toBe(422);
    expect(res.body.error.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('GET /v1/keys', () => {
  it('lists the keys with their prefix only, never a secret or a hash', async () => {
    const key = await newKey(['read']);
    const res = await sx.api('GET', '/v1/keys');
    expect(res.status).toBe(200);
    const listed = res.body.data.find((k: { id: string }) => k.id === key.id);
    expect(Object.keys(listed).sort()).toEqual([...KEY_FIELDS].sort());
    expect(listed.prefix).toBe(key.secret.slice(0, 12));
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(key.secret);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toContain(sx.apiKey);
  });

  it('reads one key, and answers 404 for an unknown id', async () => {
    const key = await newKey(['read']);
    const one = await sx.api('GET', `/v1/keys/${key.id}`);
    expect(one.status).toBe(200);
    expect(Object.keys(one.body).sort()).toEqual([...KEY_FIELDS].sort());
    const missing = await sx.api('GET', '/v1/keys/key_doesnotexist');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('DELETE /v1/keys/{id}', () => {
  it('revokes at once: the very next request with that key answers 401', async () => {
    const key = await newKey(['read']);
    expect((await sx.api('GET', '/v1/messages', undefined, as(key.secret))).status).toBe(200);
    const res = await sx.api('DELETE', `/v1/keys/${key.id}`);
    expect(res.status).toBe(200);
    expect(res.body.revoked_at).toEqual(expect.any(String));
    const after = await sx.api('GET', '/v1/messages', undefined, as(key.secret));
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    const again = await sx.api('DELETE', `/v1/keys/${key.id}`);
    expect(again.status).toBe(200);
    expect(again.body.revoked_at).toBe(res.body.revoked_at);
    const listed = (await sx.api('GET', '/v1/keys')).body.data.find((k: { id: string }) => k.id === key.id);
    expect(listed.revoked_at).toBe(res.body.revoked_at);
  });

  it('lets a key revoke itself: the answer arrives, the next request is refused', async () => {
    const key = await newKey(['keys']);
    const res = await sx.api('DELETE', `/v1/keys/${key.id}`, undefined, as(key.secret));
    expect(res.status).toBe(200);
    expect(res.body.revoked_at).not.toBeNull();
    expect((await sx.api('GET', '/v1/keys', undefined, as(key.secret))).status).toBe(401);
  });
});

describe('last_used_at', () => {
  it('is set on first use and not rewritten by each following request', async () => {
    const key = await newKey(['read']);
    const lastUsed = async () => (await sx.api('GET', `/v1/keys/${key.id}`)).body.last_used_at as string | null;
    expect(await lastUsed()).toBeNull();
    const before = Date.now();
    await sx.api('GET', '/v1/messages', undefined, as(key.secret));
    const first = await lastUsed();
    expect(first).not.toBeNull();
    expect(Date.parse(first as string)).toBeGreaterThanOrEqual(before - 1000);
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 3; i++) await sx.api('GET', '/v1/messages', undefined, as(key.secret));
    expect(await lastUsed()).toBe(first);
  });
});

describe('GET /v1/projects/current', () => {
  it("answers the calling key's own project, whatever its scopes", async () => {
    const created = await sx.api('POST', '/v1/projects', { name: 'Shop', default_from: 'Shop <shop@shop.test>' });
    const own = await request(sx.url, 'GET', '/v1/projects/current', undefined, as(created.body.api_key));
    expect(own.status).toBe(200);
    expect(own.body).toEqual(expect.objectContaining({
      id: created.body.id,
      name: 'Shop',
      default_from: 'Shop <shop@shop.test>',
      created_at: expect.any(String),
    }));
    const sendOnly = await newKey(['send']);
    const bootstrap = await sx.api('GET', '/v1/projects/current', undefined, as(sendOnly.secret));
    expect(bootstrap.status).toBe(200);
    expect(bootstrap.body.id).toBe('proj_default');
  });
});

// The scope each route needs, by method and path prefix; the first matching row wins. `null`: any valid key.
const ROUTE_SCOPES: { method?: string; prefix: string; scope: Scope | null }[] = [
  { method: 'GET', prefix: '/v1/projects/current', scope: null },
  { method: 'PATCH', prefix: '/v1/projects/current', scope: 'suppressions' },
  { prefix: '/v1/projects', scope: 'admin' },
  { method: 'POST', prefix: '/v1/messages', scope: 'send' },
  { method: 'GET', prefix: '/v1/messages', scope: 'read' },
  { method: 'DELETE', prefix: '/v1/messages', scope: 'cancel' },
  { prefix: '/v1/keys', scope: 'keys' },
  { prefix: '/v1/suppressions', scope: 'suppressions' },
  { prefix: '/v1/unsubscribes', scope: 'suppressions' },
  { prefix: '/v1/webhooks', scope: 'webhooks' },
  { prefix: '/v1/templates', scope: 'templates' },
  { prefix: '/v1/domains', scope: 'domains' },
  { prefix: '/v1/routes', scope: 'routes' },
  { method: 'GET', prefix: '/v1/events', scope: 'read' },
  { method: 'GET', prefix: '/v1/analytics', scope: 'read' },
  { method: 'GET', prefix: '/v1/dead-letters', scope: 'read' },
  { method: 'POST', prefix: '/v1/dead-letters', scope: 'send' },
];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
const ruleOf = (route: ApiRoute) =>
  ROUTE_SCOPES.find((r) => (!r.method || r.method === route.method) && under(route.path, r.prefix));

const V1_ROUTES = apiRoutes().filter((r) => r.path.startsWith('/v1/'));
const SCOPED = V1_ROUTES.flatMap((r) => {
  const scope = ruleOf(r)?.scope;
  return scope ? [[describeRoute(r), scope, r] as const] : [];
});
const OPEN = V1_ROUTES.filter((r) => ruleOf(r)?.scope === null).map((r) => [describeRoute(r), r] as const);

describe('scopes on every /v1 route', () => {
  const lacking = new Map<Scope, string>();
  const only = new Map<Scope, string>();

  beforeAll(async () => {
    for (const scope of SCOPES) {
      lacking.set(scope, (await newKey(SCOPES.filter((s) => s !== scope && s !== 'admin'))).secret);
      only.set(scope, (await newKey([scope])).secret);
    }
  });

  const call = (route: ApiRoute, secret: string) => {
    const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
    return sx.api(route.method, fillPath(route.path, () => 'x_nonexistent'), body, as(secret));
  };

  it('finds the routes in the routers, and a scope rule for each', () => {
    expect(V1_ROUTES.map(describeRoute)).toEqual(expect.arrayContaining([
      'POST /v1/messages', 'GET /v1/messages/:id', 'DELETE /v1/messages/:id', 'POST /v1/messages/batch',
      'POST /v1/keys', 'GET /v1/keys', 'GET /v1/keys/:id', 'DELETE /v1/keys/:id', 'GET /v1/projects/current',
    ]));
    const unruled = V1_ROUTES.filter((r) => !ruleOf(r)).map(describeRoute);
    expect(unruled).toEqual([]); // add each to ROUTE_SCOPES
  });

  it.each(SCOPED)('%s needs "%s": without it 403 naming it, with it alone no 403', async (_name, scope, route) => {
    const refused = await call(route, lacking.get(scope) as string);
    expect({ status: refused.status, code: refused.body?.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    expect(refused.body.error.message).toContain(`"${scope}"`);
    const allowed = await call(route, only.get(scope) as string);
    expect(allowed.status).not.toBe(403);
  });

  it.each(OPEN)('%s answers any valid key', async (_name, route) => {
    expect((await call(route, only.get('send') as string)).status).not.toBe(403);
  });
});
