// Does a 404 for another project's resource take as long as one for an id that does not exist? Against a
// started instance, makes two projects, then times project B reading A's message (and A's key) against
// reading ids that name nothing, interleaved, and prints the percentiles.
//
//   npx tsx bench/isolation-timing.ts [--url http://127.0.0.1:3000] [--key <admin key>] [--requests 200]
//
// The key needs the admin scope; by default it is read from ./data/api-key (the embedded default's key).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { randomId } from '../src/ids';

const WARM_UP_REQUESTS = 20;
const SCHEDULE_AHEAD_MS = 24 * 60 * 60 * 1000;

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    key: { type: 'string' },
    requests: { type: 'string', default: '200' },
  },
});
const baseUrl = args.url as string;
const adminKey = args.key ?? fs.readFileSync('data/api-key', 'utf8').trim();
const requests = Number(args.requests);

interface Answer {
  status: number;
  text: string;
  ms: number;
}

async function call(method: string, path: string, key: string, body?: unknown): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

async function made(method: string, path: string, key: string, body: unknown): Promise<Record<string, string>> {
  const res = await call(method, path, key, body);
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as Record<string, string>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const percentiles = [50, 90, 99].map((p) => `p${p} ${percentile(sorted, p).toFixed(3)} ms`);
  return `${percentiles.join('  ')}  mean ${mean.toFixed(3)} ms`;
}

/** Times reads of A's resource and of a missing one, alternating, after a warm-up; checks both 404s match. */
async function compare(what: string, key: string, collection: string, foreignId: string, missingId: string) {
  const foreignPath = `${collection}/${foreignId}`;
  const missingPath = `${collection}/${missingId}`;
  const foreign: number[] = [];
  const missing: number[] = [];
  let bodies: [string, string] | undefined;
  for (let i = 0; i < WARM_UP_REQUESTS + requests; i++) {
    const a = await call('GET', foreignPath, key);
    const b = await call('GET', missingPath, key);
    if (a.status !== 404 || b.status !== 404) throw new Error(`${what}: 404s expected, got ${a.status}, ${b.status}`);
    bodies = [a.text.split(foreignId).join('<id>'), b.text.split(missingId).join('<id>')];
    if (i < WARM_UP_REQUESTS) continue;
    foreign.push(a.ms);
    missing.push(b.ms);
  }
  const median = (s: number[]) => percentile([...s].sort((x, y) => x - y), 50);
  // Two halves of the same series show how much p50 moves by chance alone.
  const half = (parity: number) => median(missing.filter((_, i) => i % 2 === parity));
  const noise = Math.abs(half(0) - half(1));
  process.stdout.write(
    `${what} (${requests} requests each)\n` +
      `  another project's: ${summary(foreign)}\n` +
      `  nonexistent id:    ${summary(missing)}\n` +
      `  p50 difference ${(median(foreign) - median(missing)).toFixed(3)} ms; ` +
      `p50 difference between two halves of one series ${noise.toFixed(3)} ms\n` +
      `  same body: ${bodies?.[0] === bodies?.[1] ? 'yes' : `NO: ${bodies?.[0]} vs ${bodies?.[1]}`}\n`,
  );
}

async function main(): Promise<void> {
  const project = (name: string) =>
    made('POST', '/v1/projects', adminKey, { name, default_from: 'Bench <bench@bench.test>' });
  const a = await project('isolation bench A');
  const b = await project('isolation bench B');
  const aKey = a.api_key as string;
  const scheduled_time = new Date(Date.now() + SCHEDULE_AHEAD_MS).toISOString();
  const send = { recipient: 'bench@example.com', subject: 'Bench', text: 'x', scheduled_time };
  const message = await made('POST', '/v1/messages', aKey, send);
  const aOtherKey = await made('POST', '/v1/keys', aKey, { label: 'bench', scopes: ['read'] });
  // A fresh key of B for each series, so that the rate limit (per key) never interferes.
  const bKey = async () => {
    const key = await made('POST', '/v1/keys', b.api_key as string, { label: 'bench', scopes: ['read', 'keys'] });
    return key.secret as string;
  };

  const messageId = message.message_id as string;
  await compare('GET /v1/messages/{id}', await bKey(), '/v1/messages', messageId, randomId('msg'));
  await compare('GET /v1/keys/{id}', await bKey(), '/v1/keys', aOtherKey.id as string, randomId('key'));

  await call('DELETE', `/v1/messages/${messageId}`, aKey);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
