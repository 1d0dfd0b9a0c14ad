// One outbound webhook POST with the SSRF rules applied at send time: the host is resolved here, every address
// it resolves to is vetted, and the connection goes to a vetted address only (the socket's lookup is pinned to
// them), so a DNS answer that changes between the check and the connect cannot redirect the request.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { classifyAddress, isPermitted } from './address-policy';
import { checkWebhookUrl, hostOf, kindName } from './url-policy';

/** Response bytes read before the connection is dropped: only the status matters, and a snippet for errors. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const ERROR_SNIPPET_CHARS = 200;

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Resolves a host name to all its addresses; dns.lookup unless a test supplies its own. */
  resolve?: (host: string) => Promise<dns.LookupAddress[]>;
}

const systemResolve = (host: string) => dns.promises.lookup(host, { all: true, verbatim: true });

/** What one POST came to. `error` says why it failed; `statusCode` is absent when no answer came. */
export interface PostResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/** Posts once; never throws: every failure (refusal, DNS, connect, timeout, non-2xx) is a result. */
export async function postWebhookRequest(req: PostRequest): Promise<PostResult> {
  const started = Date.now();
  const result = await attempt(req).catch((err: unknown) => ({ ok: false, error: describeError(err, req.timeoutMs) }));
  return { ...result, durationMs: Date.now() - started };
}

async function attempt(req: PostRequest): Promise<Omit<PostResult, 'durationMs'>> {
  const checked = checkWebhookUrl(req.url, req.allowPrivate);
  if (!checked.ok) return { ok: false, error: `refused: ${checked.message}` };
  const url = new URL(checked.url);
  const host = hostOf(url);
  const deadline = Date.now() + req.timeoutMs;

  const addresses = net.isIP(host)
    ? [{ address: host, family: net.isIP(host) }]
    : await withDeadline((req.resolve ?? systemResolve)(host), deadline);
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (!isPermitted(kind, req.allowPrivate)) {
      return { ok: false, error: `refused: ${host} resolves to ${address}, a ${kindName(kind)} address` };
    }
  }
  if (addresses.length === 0) return { ok: false, error: `refused: ${host} resolves to no address` };

  const { statusCode, body } = await send(url, host, addresses, req, deadline);
  if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode };
  if (statusCode >= 300 && statusCode < 400) {
    return { ok: false, statusCode, error: `HTTP ${statusCode}: redirects are not followed` };
  }
  const snippet = body.replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET_CHARS);
  return { ok: false, statusCode, error: `HTTP ${statusCode}${snippet ? `: ${snippet}` : ''}` };
}

function send(
  url: URL,
  host: string,
  addresses: dns.LookupAddress[],
  req: PostRequest,
  deadline: number,
): Promise<{ statusCode: number; body: string }> {
  const pinned: net.LookupFunction = (_hostname, options, callback) => {
    const first = addresses[0] as dns.LookupAddress;
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request({
      protocol: url.protocol,
      host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      // A fresh connection each time: a pooled socket would skip the pinned lookup.
      agent: false,
      lookup: pinned,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body), ...req.headers },
    });
    const timer = setTimeout(() => request.destroy(new TimeoutError()), Math.max(0, deadline - Date.now()));
    request.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    request.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        else res.destroy();
      });
      res.once('end', done);
      res.once('close', done);
      res.once('error', done);
    });
    request.end(req.body);
  });
}

class TimeoutError extends Error {
  constructor() {
    super('timed out');
    this.name = 'TimeoutError';
  }
}

async function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof TimeoutError) return `timed out after ${timeoutMs} ms`;
  const e = err as NodeJS.ErrnoException & { hostname?: string };
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return `DNS lookup failed: ${e.code} ${e.hostname ?? ''}`.trim();
  }
  return e.message || String(err);
}
