// Health and Prometheus metrics on real parts: the API process (src/main.ts) and, against PostgreSQL, the
// worker process (src/worker/main.ts) with its own small HTTP listener.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { findFreePort } from '../../src/temporal/dev-server';
import { eventually, request, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { describeWithPostgres } from '../support/postgres-only';

let peer: SmtpPeer;
let sx: SendarixProcess;
let quiet: SendarixProcess;
let hooks: http.Server;
let temporalMetricsPort: number;

beforeAll(async () => {
  peer = await startSmtpPeer();
  temporalMetricsPort = await findFreePort();
  // Every POST to this receiver fails, so that webhook failures are counted.
  hooks = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(500).end('down')));
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  // One after the other: two cold starts at once (four workflow bundles) can outlast the ready timeout on 2 cores.
  sx = await startSendarix({
    smtpUrl: peer.url,
    env: {
      SENDARIX_TEMPORAL_METRICS_PORT: String(temporalMetricsPort),
      SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true',
      SENDARIX_WEBHOOK_TASK_QUEUE: `test-webhooks-${randomUUID()}`,
      SENDARIX_WEBHOOK_RETRY_SCHEDULE: '1s',
    },
  });
  quiet = await startSendarix({
    smtpUrl: peer.url,
    env: { SENDARIX_METRICS: 'false', SENDARIX_WEBHOOK_TASK_QUEUE: `test-webhooks-${randomUUID()}` },
  });
});

afterAll(async () => {
  await Promise.all([sx?.stop(), quiet?.stop()]);
  await peer?.stop();
  await new Promise((resolve) => hooks?.close(resolve));
});

/** Prometheus text → value of each series, keyed by `name{labels}` exactly as exposed. */
function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

async function scrape(url = sx.url): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parseMetrics(await res.text());
}

const value = (m: Map<string, number>, key: string) => m.get(key) ?? 0;

const send = (recipient: string, extra: Record<string, unknown> = {}) =>
  sx.api('POST', '/v1/messages', { recipient, subject: 'Metrics', text: 'counted', ...extra });

async function finalStatus(id: string, status: string) {
  await eventually(
    async () => ((await sx.api('GET', `/v1/messages/${id}`)).body.status === status ? true : undefined),
    30_000,
    `${id} ${status}`,
  );
}

describe('health', () => {
  it('answers liveness and readiness, and /health as an alias of readiness', async () => {
    const live = await request(sx.url, 'GET', '/health/live');
    expect(live).toMatchObject({ status: 200, body: { ok: true } });
    const ready = await request(sx.url, 'GET', '/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { ok: true, database: 'ok', temporal: 'ok' } });
    expect((await request(sx.url, 'GET', '/health')).body).toEqual(ready.body);
  });
});

describe('GET /metrics on the API', () => {
  it('moves the request, accept, final-status and delivery-latency series after a send', async () => {
    const before = await scrape();
    const res = await send(`counted-${randomUUID().slice(0, 8)}@example.com`);
    expect(res.status).toBe(202);
    const id = res.body.message_id as string;
    await finalStatus(id, 'delivered');
    const after = await scrape();

    const accepted = 'sendarix_http_requests_total{method="POST",route="/v1/messages",status="202"}';
    expect(value(after, accepted) - value(before, accepted)).toBeGreaterThanOrEqual(1);
    const reads = 'sendarix_http_request_duration_seconds_count{method="GET",route="/v1/messages/:id",status="200"}';
    expect(value(after, reads)).toBeGreaterThan(value(before, reads));
    expect(value(after, 'sendarix_message_accept_duration_seconds_count')).toBeGreaterThan(
      value(before, 'sendarix_message_accept_duration_seconds_count'),
    );
    const delivered = 'sendarix_messages_finished_total{status="delivered"}';
    expect(value(after, delivered) - value(before, delivered)).toBeGreaterThanOrEqual(1);
    expect(value(after, 'sendarix_delivery_latency_seconds_count')).toBeGreaterThan(
      value(before, 'sendarix_delivery_latency_seconds_count'),
    );
    // Route templates, never raw paths: the message id appears in no series.
    expect([...after.keys()].some((k) => k.includes(id))).toBe(false);
    expect(after.has('process_resident_memory_bytes')).toBe(true);
  });

  it('counts unmatched paths under one label', async () => {
    await request(sx.url, 'GET', `/no-such-${randomUUID()}`);
    const after = await scrape();
    expect(
      value(after, 'sendarix_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts a deferral and a bounce', async () => {
    const deferredTo = `later-${randomUUID().slice(0, 8)}@example.com`;
    const bouncedTo = `gone-${randomUUID().slice(0, 8)}@example.com`;
    peer.setBehaviour(deferredTo, { sequence: [{ code: 451, message: 'try again' }, { code: 250 }] });
    peer.setBehaviour(bouncedTo, { code: 550, enhanced: '5.1.1', message: 'no such user' });
    const before = await scrape();
    const [a, b] = await Promise.all([send(deferredTo), send(bouncedTo)]);
    await Promise.all([finalStatus(a.body.message_id, 'delivered'), finalStatus(b.body.message_id, 'bounced')]);
    const after = await scrape();
    expect(value(after, 'sendarix_deferrals_total') - value(before, 'sendarix_deferrals_total')).toBeGreaterThanOrEqual(
      1,
    );
    const bounced = 'sendarix_messages_finished_total{status="bounced"}';
    expect(value(after, bounced) - value(before, bounced)).toBeGreaterThanOrEqual(1);
  });

  it('shows scheduled messages in the queue depth gauge', async () => {
    const later = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const res = await send(`scheduled-${randomUUID().slice(0, 8)}@example.com`, { scheduled_time: later });
    expect(res.status).toBe(202);
    // The gauge reads the database at most every 5 s.
    await eventually(
      async () => ((await scrape()).get('sendarix_queue_depth{status="scheduled"}') ?? 0) >= 1 || undefined,
      15_000,
    );
    await sx.api('DELETE', `/v1/messages/${res.body.message_id}`);
  });

  it('counts failed webhook POSTs', async () => {
    const endpoint = await sx.api('POST', '/v1/webhooks', {
      url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`,
    });
    expect(endpoint.status).toBe(201);
    const before = await scrape();
    await send(`hooked-${randomUUID().slice(0, 8)}@example.com`);
    await eventually(
      async () => {
        const now = await scrape();
        return (
          value(now, 'sendarix_webhook_failures_total') > value(before, 'sendarix_webhook_failures_total') || undefined
        );
      },
      30_000,
      'a counted webhook failure',
    );
    await sx.api('DELETE', `/v1/webhooks/${endpoint.body.id}`);
  });

  it('is not served when SENDARIX_METRICS=false', async () => {
    expect((await request(quiet.url, 'GET', '/metrics')).status).toBe(404);
    expect((await request(quiet.url, 'GET', '/health/live')).status).toBe(200);
  });
});

describe("the Temporal SDK's exporter", () => {
  it('serves temporal_* metrics on the configured loopback port', async () => {
    const text = await (await fetch(`http://127.0.0.1:${temporalMetricsPort}/metrics`)).text();
    expect(text).toMatch(/^temporal_\w+/m);
  });
});

// `npm run worker` needs PostgreSQL: this part runs in the PostgreSQL pass of the suite (TEST_DATABASE_URL).

describeWithPostgres('the worker process', () => {
  let worker: ChildProcess;
  let workerUrl: string;

  beforeAll(async () => {
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_URL: sx.databaseUrl as string,
        TEMPORAL_ADDRESS: process.env.SENDARIX_TEST_TEMPORAL_ADDRESS as string,
        SMTP_URL: peer.url,
        SENDARIX_TASK_QUEUE: sx.taskQueue,
        SENDARIX_WEBHOOK_TASK_QUEUE: `test-webhooks-${randomUUID()}`,
        SENDARIX_WORKER_HTTP_PORT: '0',
        SENDARIX_TEMPORAL_METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workerUrl = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      worker.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const ready = /"http_url":"([^"]+)"/.exec(buffer);
        if (ready) resolve(ready[1] as string);
      });
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${buffer.slice(-2000)}`)));
    });
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
  });

  it('answers liveness, readiness once polling, and metrics', async () => {
    expect((await request(workerUrl, 'GET', '/health/live')).status).toBe(200);
    const ready = await eventually(
      async () => {
        const res = await request(workerUrl, 'GET', '/health/ready');
        return res.status === 200 ? res : undefined;
      },
      15_000,
      'worker readiness',
    );
    expect(ready.body).toMatchObject({ ok: true, database: 'ok', workers: ['RUNNING', 'RUNNING'] });
    const metrics = parseMetrics(await (await fetch(`${workerUrl}/metrics`)).text());
    expect(metrics.has('process_resident_memory_bytes')).toBe(true);
    expect([...metrics.keys()].some((k) => k.startsWith('sendarix_queue_depth{'))).toBe(true);
  });
});
