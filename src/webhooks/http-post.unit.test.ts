import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhookRequest } from './http-post';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

let server: http.Server;
let base: string;
let handler: Handler;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  handler = (_req, res) => res.writeHead(204).end();
});

const post = (url: string, opts: { timeoutMs?: number; allowPrivate?: boolean } = {}) =>
  postWebhookRequest({
    url,
    body: '{"id":"evt_1"}',
    headers: { 'webhook-id': 'whd_1' },
    timeoutMs: opts.timeoutMs ?? 2_000,
    allowPrivate: opts.allowPrivate ?? true,
  });

describe('postWebhookRequest', () => {
  it('posts the exact body as JSON with the given headers and reports a 2xx as success', async () => {
    const result = await post(`${base}/hook?x=1`);
    expect(result).toMatchObject({ ok: true, statusCode: 204 });
    expect(received[0]?.body).toBe('{"id":"evt_1"}');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['webhook-id']).toBe('whd_1');
  });

  it('reports a 500 as a failure with the status and a snippet of the answer', async () => {
    handler = (_req, res) => res.writeHead(500).end('database\nis down');
    expect(await post(base)).toMatchObject({ ok: false, statusCode: 500, error: 'HTTP 500: database is down' });
  });

  it('does not follow a redirect and reports it as a failure', async () => {
    handler = (req, res) => {
      if (req.url === '/elsewhere') res.writeHead(200).end();
      else res.writeHead(302, { location: '/elsewhere' }).end();
    };
    const result = await post(`${base}/start`);
    expect(result).toMatchObject({ ok: false, statusCode: 302 });
    expect(result.error).toContain('redirects are not followed');
    expect(received.map((r) => r.body)).toHaveLength(1);
  });

  it('gives up on an endpoint that never answers once the timeout has passed', async () => {
    handler = () => undefined;
    const result = await post(base, { timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
    expect(result.statusCode).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('reports a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await post(`http://127.0.0.1:${port}/`);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('refuses a loopback literal without connecting when private targets are not allowed', async () => {
    const result = await post(`${base}/hook`, { allowPrivate: false });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^refused: .*127\.0\.0\.1.*loopback/) });
    expect(received).toHaveLength(0);
  });

  it('refuses a host name that resolves to loopback, naming the address it resolved to', async () => {
    const port = new URL(base).port;
    const result = await post(`http://localhost:${port}/hook`, { allowPrivate: false });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(received).toHaveLength(0);
  });

  it('connects to a vetted address of a host name when private targets are allowed', async () => {
    const port = new URL(base).port;
    expect(await post(`http://localhost:${port}/hook`)).toMatchObject({ ok: true, statusCode: 204 });
  });

  it('connects to the address it vetted, not to what a second lookup of the name would give', async () => {
    // The name resolves to 127.0.0.1 on this machine, where nothing listens on this port; the vetted answer is
    // 127.0.0.2, where the other server listens. Only a pinned connection reaches it.
    const other = http.createServer((_req, res) => res.writeHead(202).end());
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const result = await postWebhookRequest({
        url: `http://localhost:${port}/hook`,
        body: '{}',
        headers: {},
        timeoutMs: 2_000,
        allowPrivate: true,
        resolve: async () => [{ address: '127.0.0.2', family: 4 }],
      });
      expect(result).toMatchObject({ ok: true, statusCode: 202 });
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('refuses when any address of a name is forbidden, even if another one is fine', async () => {
    const result = await postWebhookRequest({
      url: 'http://hooks.example.com/hook',
      body: '{}',
      headers: {},
      timeoutMs: 2_000,
      allowPrivate: false,
      resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 }],
    });
    expect(result.ok).toBe(false);
    expect(result.error).toBe('refused: hooks.example.com resolves to 169.254.169.254, a metadata address');
  });

  it('refuses URLs with other schemes or with credentials', async () => {
    expect((await post('ftp://127.0.0.1/x')).error).toContain('http or https');
    expect((await post(`http://a:b@127.0.0.1:${new URL(base).port}/`)).error).toContain('password');
    expect(received).toHaveLength(0);
  });
});
