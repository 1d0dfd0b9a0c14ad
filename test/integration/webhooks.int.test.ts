// Signed webhooks end to end: the API, the message workflow's events, the webhook workflows on their own task
// queue, and a real HTTP receiver on loopback that records raw bodies and can be told to fail or to hang.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { webhookActivities } from '../../src/activities';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { bootstrapProject, DEFAULT_PROJECT_ID } from '../../src/services/projects';
import { startWebhookWorkflow } from '../../src/webhooks/start';
import { generateWebhookSecret } from '../../src/webhooks/signature';
import { eventually, request, startSendarix, type ApiResponse, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { createTimeSkippingEnv } from '../support/time-skipping';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Hit {
  at: number;
  headers: Record<string, string>;
  raw: string;
  body: { id: string; type: string; created_at: string; sequence: number; data: Record<string, Json> };
}

/** A webhook receiver on 127.0.0.1: answers 200, or 500 (`fail`), or never (`hang`). */
class Receiver {
  hits: Hit[] = [];
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  /** Requests still to answer with 500 before answering as `mode` says. */
  failNext = 0;
  private server?: http.Server;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.hits.push({ at: Date.now(), headers: req.headers as Record<string, string>, raw, body: JSON.parse(raw) });
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(500).end('try later');
        } else if (this.mode === 'fail') res.writeHead(500).end('down');
        else if (this.mode === 'ok') res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  ofType(type: string): Hit[] {
    return this.hits.filter((h) => h.body.type === type);
  }

  forMessage(messageId: string): Hit[] {
    return this.hits.filter((h) => h.body.data.message_id === messageId);
  }
}

interface Project {
  key: string;
  api(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

let peer: SmtpPeer;
let sx: SendarixProcess;
let strict: SendarixProcess;
let temporal: Client;
const receivers: Receiver[] = [];
const webhookQueue = `test-webhooks-${randomUUID()}`;

beforeAll(async () => {
  peer = await startSmtpPeer();
  [sx, strict] = await Promise.all([
    startSendarix({
      smtpUrl: peer.url,
      env: {
        SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true',
        SENDARIX_WEBHOOK_TASK_QUEUE: webhookQueue,
        SENDARIX_WEBHOOK_RETRY_SCHEDULE: '1s,2s,2s,3s,3s,5s,5s,5s',
        // Short enough for the disabling test, longer than any other test keeps an endpoint failing.
        SENDARIX_WEBHOOK_DISABLE_AFTER: '12s',
      },
    }),
    // The SSRF rules as shipped: private targets refused.
    startSendarix({
      smtpUrl: peer.url,
      env: { SENDARIX_WEBHOOK_TASK_QUEUE: `test-webhooks-${randomUUID()}`, SENDARIX_WEBHOOK_RETRY_SCHEDULE: '1s' },
    }),
  ]);
  const address = process.env.SENDARIX_TEST_TEMPORAL_ADDRESS as string;
  temporal = new Client({ connection: await Connection.connect({ address }) });
});

afterAll(async () => {
  await Promise.all([sx?.stop(), strict?.stop()]);
  await Promise.all(receivers.map((r) => r.stop()));
  await peer?.stop();
  await temporal?.connection.close();
});

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
}

/** A project of its own, so that each test's endpoints see only its own messages. */
async function newProject(on: SendarixProcess = sx): Promise<Project> {
  const name = `webhooks ${randomUUID().slice(0, 8)}`;
  const res = await on.api('POST', '/v1/projects', { name, default_from: 'Hooks <hooks@sendarix.test>' });
  expect(res.status).toBe(201);
  const key = res.body.api_key as string;
  return { key, api: (method, path, body) => request(on.url, method, path, body, { authorization: `Bearer ${key}` }) };
}

async function createEndpoint(p: Project, body: Record<string, unknown>) {
  const res = await p.api('POST', '/v1/webhooks', body);
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; url: string; event_types: string[]; enabled: boolean };
}

async function send(p: Project, recipient = `user-${randomUUID().slice(0, 8)}@example.com`): Promise<string> {
  const res = await p.api('POST', '/v1/messages', {
    recipient,
    subject: 'Your code',
    text: 'Code 123456',
    metadata: { user_id: 'u-42' },
    tags: ['otp'],
  });
  expect(res.status).toBe(202);
  return res.body.message_id as string;
}

async function delivered(p: Project, id: string) {
  return eventually(async () => {
    const res = await p.api('GET', `/v1/messages/${id}`);
    return res.body.status === 'delivered' ? res.body : undefined;
  }, 30_000, `message ${id} delivered`);
}

const types = (hits: Hit[]) => hits.map((h) => h.body.type);

/** The receiver's posts about a message, once there are at least `n`. */
function atLeast(r: Receiver, messageId: string, n: number): Promise<Hit[]> {
  return eventually(async () => {
    const hits = r.forMessage(messageId);
    return hits.length >= n ? hits : undefined;
  }, 20_000, `${n} webhooks for ${messageId}`);
}

describe('payload and signature', () => {
  it('posts every event as signed JSON that standardwebhooks verifies on the raw body only', async () => {
    const p = await newProject();
    const r = await receiver();
    const endpoint = await createEndpoint(p, { url: r.url });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: r.url, event_types: [], enabled: true });

    const id = await send(p);
    await delivered(p, id);
    const hits = await atLeast(r, id, 3);
    const bySequence = [...hits].sort((a, b) => a.body.sequence - b.body.sequence);
    expect(types(bySequence)).toEqual(['message.queued', 'message.accepted', 'message.delivered']);
    expect(bySequence.map((h) => h.body.sequence)).toEqual([0, 1, 2]);

    const wh = new Webhook(endpoint.secret);
    for (const hit of hits) {
      expect(hit.headers['content-type']).toBe('application/json');
      expect(hit.headers['webhook-id']).toMatch(/^whd_[0-9a-f]{32}$/);
      expect(hit.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      expect(hit.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(wh.verify(hit.raw, hit.headers)).toEqual(hit.body);
      const reserialised = JSON.stringify(JSON.parse(hit.raw), null, 2);
      expect(reserialised).not.toBe(hit.raw);
      expect(() => wh.verify(reserialised, hit.headers)).toThrow(WebhookVerificationError);
    }

    const last = bySequence[2] as Hit;
    expect(Object.keys(last.body)).toEqual(['id', 'type', 'created_at', 'sequence', 'data']);
    expect(last.body).toMatchObject({
      id: `evt_${id.slice(4)}_2`,
      type: 'message.delivered',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        message_id: id,
        recipient: expect.stringContaining('@example.com'),
        status: 'delivered',
        metadata: { user_id: 'u-42' },
        tags: ['otp'],
        attempt: 1,
        smtp: expect.objectContaining({ kind: 'delivered', responseCode: 250 }),
      },
    });
    expect(bySequence[0]?.body.data.status).toBe('queued');

    // One workflow per (endpoint, event), on the webhook task queue.
    const description = await temporal.workflow.getHandle(`webhook-${endpoint.id}-${last.body.id}`).describe();
    expect(description.taskQueue).toBe(webhookQueue);
    expect(description.type).toBe('webhookDeliveryWorkflow');
  });

  it('shows the secret once: reads of the endpoint never carry it, and the logs never do', async () => {
    const p = await newProject();
    const endpoint = await createEndpoint(p, { url: 'https://hooks.example.com/in' });
    const one = await p.api('GET', `/v1/webhooks/${endpoint.id}`);
    expect(one.status).toBe(200);
    expect(one.body.secret).toBeUndefined();
    const list = await p.api('GET', '/v1/webhooks');
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect(sx.logs.join('\n')).not.toContain(endpoint.secret.slice(6));
  });
});

describe('event types', () => {
  it('sends an endpoint only the types it asked for', async () => {
    const p = await newProject();
    const [only, all] = [await receiver(), await receiver()];
    await createEndpoint(p, { url: only.url, event_types: ['message.delivered'] });
    await createEndpoint(p, { url: all.url });
    const id = await send(p);
    await delivered(p, id);
    await eventually(async () => (all.forMessage(id).length >= 3 ? true : undefined), 20_000, 'all events');
    await eventually(async () => (only.forMessage(id).length >= 1 ? true : undefined), 20_000, 'the delivered event');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(types(only.forMessage(id))).toEqual(['message.delivered']);
  });
});

describe('retries', () => {
  it('retries after a 500 with the same webhook-id and a fresh, re-signed timestamp', async () => {
    const p = await newProject();
    const r = await receiver();
    const endpoint = await createEndpoint(p, { url: r.url, event_types: ['message.delivered'] });
    r.failNext = 1;
    const id = await send(p);
    const hits = await atLeast(r, id, 2);
    const [first, second] = hits as [Hit, Hit];
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(Number(second.headers['webhook-timestamp'])).toBeGreaterThan(Number(first.headers['webhook-timestamp']));
    expect(second.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
    expect(second.raw).toBe(first.raw);
    const wh = new Webhook(endpoint.secret);
    expect(() => wh.verify(first.raw, first.headers)).not.toThrow();
    expect(() => wh.verify(second.raw, second.headers)).not.toThrow();

    const delivery = await eventually(async () => {
      const list = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries`);
      return list.body.data[0]?.status === 'delivered' ? list.body.data[0] : undefined;
    }, 10_000, 'delivery recorded');
    expect(delivery).toMatchObject({ id: first.headers['webhook-id'], attempts: 2, last_status_code: 200 });
    expect(delivery.last_error).toBeNull();
    const detail = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}`);
    expect(detail.body.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([500, 200]);
    expect(detail.body.attempt_log[0].error).toBe('HTTP 500: try later');
  });

  it('loses nothing while the endpoint is down and delivers everything once it is back', async () => {
    const p = await newProject();
    const r = await receiver();
    const port = r.port;
    await r.stop();
    const endpoint = await createEndpoint(p, { url: `http://127.0.0.1:${port}/hooks` });
    const ids = [await send(p), await send(p), await send(p)];
    for (const id of ids) await delivered(p, id);
    // Every delivery has failed at least once against the closed port.
    await eventually(async () => {
      const list = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=100`);
      const rows = list.body.data as { attempts: number; last_error: string }[];
      const refused = rows.filter((d) => d.attempts >= 1 && /ECONNREFUSED/.test(d.last_error));
      return rows.length === 9 && refused.length === 9 ? true : undefined;
    }, 20_000, 'failed attempts');

    await r.start(port);
    await eventually(async () => {
      const seen = new Set(r.hits.map((h) => h.body.id));
      return seen.size === 9 ? true : undefined;
    }, 30_000, 'all nine events after the endpoint came back');
    for (const id of ids) {
      const expected = new Set(['message.queued', 'message.accepted', 'message.delivered']);
      expect(new Set(types(r.forMessage(id)))).toEqual(expected);
    }
    const list = await eventually(async () => {
      const res = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=100`);
      return res.body.data.every((d: { status: string }) => d.status === 'delivered') ? res.body.data : undefined;
    }, 10_000, 'deliveries marked delivered');
    expect(list.some((d: { attempts: number }) => d.attempts >= 2)).toBe(true);
  });
});

describe('a slow endpoint', () => {
  it('delays neither the message nor another endpoint', async () => {
    const p = await newProject();
    const fast = await receiver();
    await createEndpoint(p, { url: fast.url, event_types: ['message.delivered'] });
    const latencies = async (n: number) => {
      const deliveryMs: number[] = [];
      const webhookMs: number[] = [];
      for (let i = 0; i < n; i++) {
        const id = await send(p);
        const m = await delivered(p, id);
        const hit = await eventually(async () => fast.forMessage(id)[0], 15_000, 'fast endpoint webhook');
        deliveryMs.push(Date.parse(m.completed_at) - Date.parse(m.created_at));
        webhookMs.push(hit.at - Date.parse(m.completed_at));
      }
      return { deliveryMs, webhookMs };
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

    const before = await latencies(3);
    const slow = await receiver();
    slow.mode = 'hang';
    const hanging = await createEndpoint(p, { url: slow.url });
    const after = await latencies(3);
    const figures = (x: number[]) => JSON.stringify(x);
    process.stdout.write(
      'webhook isolation figures (ms): message delivered_at - created_at ' +
        `without a hanging endpoint ${figures(before.deliveryMs)}, with ${figures(after.deliveryMs)}; ` +
        `fast endpoint receipt after delivery without ${figures(before.webhookMs)}, with ${figures(after.webhookMs)}\n`,
    );
    expect(slow.hits.length).toBeGreaterThan(0);
    expect(median(after.deliveryMs)).toBeLessThan(median(before.deliveryMs) + 1_000);
    expect(Math.max(...after.deliveryMs)).toBeLessThan(5_000);
    expect(Math.max(...after.webhookMs)).toBeLessThan(3_000);

    // The hanging endpoint's attempts end at the 10 s request limit and are recorded as such.
    const timedOut = await eventually(async () => {
      const list = await p.api('GET', `/v1/webhooks/${hanging.id}/deliveries?limit=100`);
      return list.body.data.find((d: { last_error: string | null }) => d.last_error === 'timed out after 10000 ms');
    }, 30_000, 'a timed-out attempt');
    expect(timedOut.last_status_code).toBeNull();
  });
});

describe('deliveries and replay', () => {
  it('lists deliveries newest first with cursors, and replays one with the same webhook-id', async () => {
    const p = await newProject();
    const r = await receiver();
    const endpoint = await createEndpoint(p, { url: r.url });
    const id = await send(p);
    await delivered(p, id);
    await eventually(async () => (r.forMessage(id).length >= 3 ? true : undefined), 20_000, 'three webhooks');

    const seen: { id: string; sequence: number; created_at: string; status: string }[] = [];
    let cursor: string | null = null;
    do {
      const query = `limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res: ApiResponse = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      seen.push(res.body.data[0]);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((d) => d.id)).size).toBe(3);
    const times = seen.map((d) => Date.parse(d.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const d of seen) expect(d).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });

    const target = seen.find((d) => d.sequence === 2) as { id: string };
    const original = r.hits.find((h) => h.headers['webhook-id'] === target.id) as Hit;
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // so that the fresh timestamp differs
    const replay = await p.api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${target.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.workflow_id).toBe(`webhook-${endpoint.id}-${original.body.id}-replay-1`);
    const again = await eventually(async () => {
      const same = r.hits.filter((h) => h.headers['webhook-id'] === target.id);
      return same.length >= 2 ? same[1] : undefined;
    }, 15_000, 'the replayed post');
    expect(again.raw).toBe(original.raw);
    expect(Number(again.headers['webhook-timestamp'])).toBeGreaterThan(Number(original.headers['webhook-timestamp']));
    expect(() => new Webhook(endpoint.secret).verify(again.raw, again.headers)).not.toThrow();

    const second = await p.api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${target.id}/replay`);
    expect(second.body.workflow_id).toBe(`webhook-${endpoint.id}-${original.body.id}-replay-2`);
    await eventually(async () => {
      const res = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries/${target.id}`);
      return res.body.attempts === 3 && res.body.status === 'delivered' ? true : undefined;
    }, 15_000, 'three attempts recorded');
  });
});

describe('disabling a failing endpoint', () => {
  it('disables an endpoint that keeps failing, stops its deliveries; PATCH enabled:true brings it back', async () => {
    const p = await newProject();
    const r = await receiver();
    r.mode = 'fail';
    const endpoint = await createEndpoint(p, { url: r.url, event_types: ['message.delivered'] });
    const first = await send(p);
    const disabled = await eventually(async () => {
      const res = await p.api('GET', `/v1/webhooks/${endpoint.id}`);
      return res.body.enabled === false ? res.body : undefined;
    }, 30_000, 'the endpoint disabled');
    expect(disabled.disabled_at).not.toBeNull();
    expect(disabled.disabled_reason).toMatch(/^no successful delivery since .*; last error: HTTP 500: down$/);
    const logged = sx.logs.filter((l) => l.includes('"msg":"webhook endpoint disabled"') && l.includes(endpoint.id));
    expect(logged).toHaveLength(1);

    // No more posts to it, and new events make no deliveries for it.
    const delivery = await eventually(async () => {
      const res = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries`);
      const d = res.body.data[0];
      return d && ['failed', 'skipped'].includes(d.status) ? d : undefined;
    }, 10_000, 'the delivery stopped');
    const posts = r.hits.length;
    const later = await send(p);
    await delivered(p, later);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(r.hits.length).toBe(posts);
    const listed = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries`);
    expect(listed.body.data.map((d: { message_id: string }) => d.message_id)).toEqual([first]);
    const refused = await p.api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/replay`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('webhook_endpoint_disabled');

    r.mode = 'ok';
    const enabled = await p.api('PATCH', `/v1/webhooks/${endpoint.id}`, { enabled: true });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabled_at: null, disabled_reason: null });
    expect(enabled.body.failing_since).toBeNull();
    const next = await send(p);
    await eventually(async () => r.forMessage(next)[0], 20_000, 'a webhook after re-enabling');
    const replay = await p.api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/replay`);
    expect(replay.status).toBe(202);
    await eventually(async () => {
      const res = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}`);
      return res.body.status === 'delivered' ? true : undefined;
    }, 15_000, 'the replayed delivery delivered');
  });
});

describe('outbound safety (private targets not allowed)', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://[::1]:8080/hook', 'loopback'],
    ['http://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['http://10.0.0.1/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
  ])('refuses %s at create with 422 webhook_url_forbidden', async (url, kind) => {
    const res = await strict.api('POST', '/v1/webhooks', { url });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('webhook_url_forbidden');
    const message = expect.stringContaining(kind.replace('_', '-'));
    expect(res.body.error.errors).toEqual([{ field: 'url', code: 'forbidden_address', message }]);
  });

  it('refuses a loopback literal in a PATCH, and at send time a name resolving to loopback, saying why', async () => {
    const p = await newProject(strict);
    const r = await receiver();
    const url = `http://localhost:${r.port}/hooks`;
    const endpoint = await createEndpoint(p, { url, event_types: ['message.delivered'] });
    const patched = await p.api('PATCH', `/v1/webhooks/${endpoint.id}`, { url: `http://127.0.0.1:${r.port}/hooks` });
    expect(patched.status).toBe(422);
    expect(patched.body.error.code).toBe('webhook_url_forbidden');

    await send(p);
    const delivery = await eventually(async () => {
      const list = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries`);
      const d = list.body.data[0];
      return d?.status === 'failed' ? d : undefined;
    }, 30_000, 'the refused delivery to fail');
    expect(delivery.last_error).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(delivery.last_status_code).toBeNull();
    const detail = await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}`);
    expect(detail.body.attempt_log).toHaveLength(2);
    expect(r.hits).toHaveLength(0);
  });
});

describe('the /v1/webhooks API', () => {
  it('answers 404 for another project\'s endpoint on every route, exactly as for a missing one', async () => {
    const owner = await newProject();
    const other = await newProject();
    const endpoint = await createEndpoint(owner, { url: 'https://hooks.example.com/in' });
    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/webhooks/${endpoint.id}`],
      ['PATCH', `/v1/webhooks/${endpoint.id}`, { enabled: false }],
      ['DELETE', `/v1/webhooks/${endpoint.id}`],
      ['GET', `/v1/webhooks/${endpoint.id}/deliveries`],
      ['GET', `/v1/webhooks/${endpoint.id}/deliveries/whd_x`],
      ['POST', `/v1/webhooks/${endpoint.id}/deliveries/whd_x/replay`],
    ];
    for (const [method, path, body] of routes) {
      const theirs = await other.api(method, path, body);
      const missing = await other.api(method, path.replace(endpoint.id, 'wh_doesnotexist'), body);
      expect([method, path, theirs.status, theirs.body.error.code]).toEqual([method, path, 404, 'not_found']);
      expect(missing.status).toBe(404);
      expect(theirs.body.error.message).toBe(missing.body.error.message.replace('wh_doesnotexist', endpoint.id));
    }
    expect((await other.api('GET', '/v1/webhooks')).body.data).toEqual([]);
    expect((await owner.api('GET', `/v1/webhooks/${endpoint.id}`)).body.enabled).toBe(true);
  });

  it('answers 401 without a valid key', async () => {
    const none = await request(sx.url, 'GET', '/v1/webhooks');
    expect(none.status).toBe(401);
    const body = { url: 'https://hooks.example.com/' };
    const wrong = await request(sx.url, 'POST', '/v1/webhooks', body, { authorization: 'Bearer sk_live_nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it.each<[string, unknown, string, string | undefined]>([
    ['an unknown event type', { url: 'https://h.example.com/', event_types: ['x'] }, 'event_types.0', 'invalid_value'],
    ['an ftp URL', { url: 'ftp://h.example.com/' }, 'url', 'unsupported_scheme'],
    ['credentials in the URL', { url: 'https://u:p@h.example.com/' }, 'url', 'credentials_in_url'],
    ['a relative URL', { url: '/hooks' }, 'url', 'invalid_url'],
    ['no URL', { event_types: [] }, 'url', 'required'],
    ['an unknown field', { url: 'https://h.example.com/', secret: 'mine' }, 'secret', 'unknown_field'],
    ['enabled as a string', { url: 'https://h.example.com/', enabled: 'yes' }, 'enabled', undefined],
  ])('refuses a create with %s (422)', async (_name, body, field, code) => {
    const res = await sx.api('POST', '/v1/webhooks', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.errors).toContainEqual(expect.objectContaining({ field, code: code ?? expect.any(String) }));
  });

  it('answers 400 to malformed JSON and 422 to an empty PATCH or a bad cursor', async () => {
    const p = await newProject();
    const endpoint = await createEndpoint(p, { url: 'https://hooks.example.com/in' });
    expect((await p.api('POST', '/v1/webhooks', '{"url": ')).status).toBe(400);
    const empty = await p.api('PATCH', `/v1/webhooks/${endpoint.id}`, {});
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('validation_failed');
    expect((await p.api('GET', '/v1/webhooks?cursor=nonsense')).status).toBe(422);
    expect((await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries?status=lost`)).status).toBe(422);
    expect((await p.api('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=0`)).status).toBe(422);
  });

  it('changes an endpoint with PATCH, pauses it, and deletes it', async () => {
    const p = await newProject();
    const endpoint = await createEndpoint(p, { url: 'https://hooks.example.com/in', event_types: ['message.queued'] });
    const changed = await p.api('PATCH', `/v1/webhooks/${endpoint.id}`, {
      url: 'https://hooks.example.com/v2',
      event_types: ['message.bounced', 'message.bounced', 'message.complained'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.url).toBe('https://hooks.example.com/v2');
    expect(changed.body.event_types).toEqual(['message.bounced', 'message.complained']);
    const paused = await p.api('PATCH', `/v1/webhooks/${endpoint.id}`, { enabled: false });
    expect(paused.body).toMatchObject({ enabled: false, disabled_reason: 'disabled through the API' });
    const deleted = await p.api('DELETE', `/v1/webhooks/${endpoint.id}`);
    expect(deleted.status).toBe(204);
    expect((await p.api('GET', `/v1/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = await request(sx.url, 'GET', '/v1/openapi.json');
    const delivery = '/v1/webhooks/{id}/deliveries/{deliveryId}';
    const paths = ['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/deliveries', delivery, `${delivery}/replay`];
    for (const path of paths) expect(doc.body.paths[path]).toBeDefined();
  });
});

describe('the default retry schedule, on a time-skipping server', () => {
  const DEFAULT_DELAYS_MS = [
    5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000,
  ];
  const TASK_QUEUE = 'webhook-schedule';
  let env: TestWorkflowEnvironment;
  let database: Database;
  let dataDir: string;
  const config = loadConfig({ SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true' });

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    // Jest cannot load Prisma's Wasm schema engine (an ES module), so a child process migrates the database first.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-wh-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts', 'deploy'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { PATH: process.env.PATH, SENDARIX_DATA_DIR: dataDir },
    });
    database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite'), migrate: false });
    await bootstrapProject(database.prisma, { defaultFrom: 'tests@sendarix.test' });
  });

  // A worker runs once (runUntil), so each test has its own.
  const newWorker = () =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath: require.resolve('../../src/workflows/webhook'),
      activities: webhookActivities({ prisma: database.prisma, logger: createLogger('silent'), config }),
    });

  afterAll(async () => {
    await database?.close();
    await env?.teardown();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function deliveryTo(url: string) {
    const endpointId = `wh_${randomUUID().slice(0, 8)}`;
    await database.prisma.webhookEndpoint.create({
      data: { id: endpointId, projectId: DEFAULT_PROJECT_ID, url, eventTypes: [], secret: generateWebhookSecret() },
    });
    const deliveryId = `whd_${randomUUID().replace(/-/g, '')}`;
    const createdAt = new Date().toISOString();
    const payload = { id: 'evt_x_1', type: 'message.delivered', created_at: createdAt, sequence: 1, data: {} };
    await database.prisma.webhookDelivery.create({
      data: {
        id: deliveryId,
        endpointId,
        projectId: DEFAULT_PROJECT_ID,
        eventId: `evt_${deliveryId}`,
        type: payload.type,
        sequence: 1,
        payload,
      },
    });
    const workflowId = `webhook-${endpointId}-evt_${deliveryId}`;
    const input = { deliveryId, endpointId, retryScheduleMs: config.SENDARIX_WEBHOOK_RETRY_SCHEDULE };
    expect(await startWebhookWorkflow(env.client, TASK_QUEUE, workflowId, input)).toBe(true);
    expect(await startWebhookWorkflow(env.client, TASK_QUEUE, workflowId, input)).toBe(false);
    return { endpointId, deliveryId, handle: env.client.workflow.getHandle(workflowId) };
  }

  it('retries a failing endpoint for about a day (5 s … 8 h, 8 h), then gives up with eleven attempts', async () => {
    expect(config.SENDARIX_WEBHOOK_RETRY_SCHEDULE).toEqual(DEFAULT_DELAYS_MS);
    const r = await receiver();
    r.mode = 'fail';
    const { endpointId, deliveryId, handle } = await deliveryTo(r.url);
    expect(await (await newWorker()).runUntil(handle.result())).toBe('failed');

    expect(r.hits).toHaveLength(11);
    expect(new Set(r.hits.map((h) => h.headers['webhook-id']))).toEqual(new Set([deliveryId]));
    const description = await handle.describe();
    const elapsedMs = (description.closeTime as Date).getTime() - description.startTime.getTime();
    expect(elapsedMs).toBeGreaterThanOrEqual(DEFAULT_DELAYS_MS.reduce((a, b) => a + b, 0));
    const delivery = await database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 11, lastStatusCode: 500 });
    expect(await database.prisma.webhookAttempt.count({ where: { deliveryId } })).toBe(11);
    // Within the 3-day default the endpoint stays enabled, but it is marked as failing.
    const endpoint = await database.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(endpoint.enabled).toBe(true);
    expect(endpoint.failingSince).not.toBeNull();
  });

  it('delivers once the endpoint recovers, after 5 s and 30 s, and clears its failing mark', async () => {
    const r = await receiver();
    r.failNext = 2;
    const { endpointId, deliveryId, handle } = await deliveryTo(r.url);
    expect(await (await newWorker()).runUntil(handle.result())).toBe('delivered');
    expect(r.hits).toHaveLength(3);
    const description = await handle.describe();
    const elapsedMs = (description.closeTime as Date).getTime() - description.startTime.getTime();
    expect(elapsedMs).toBeGreaterThanOrEqual(35_000);
    expect(elapsedMs).toBeLessThan(120_000);
    const delivery = await database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
    const endpoint = await database.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(endpoint.failingSince).toBeNull();
  });
});
