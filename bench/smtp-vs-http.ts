// How fast does the SMTP relay accept messages compared with POST /v1/messages? Starts its own Temporal dev
// server, an SMTP peer and a Sendarix process (all on loopback), then submits the same small message to one
// recipient N times each way, one at a time and C at a time, and prints accepted messages per second and the
// SMTP/HTTP ratio. "Accepted" is the 202 or the 250 reply: stored and its workflow started.
//
//   npx tsx bench/smtp-vs-http.ts [--messages 200] [--concurrency 10]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { TEST_API_KEY, type SendarixProcess } from '../test/support/sendarix';
import { runStandalone } from './support/standalone';

const WARM_UP_MESSAGES = 10;
/** Each run starts once the worker has delivered everything before it, so no run pays for the last one's backlog. */
const DRAIN_TIMEOUT_MS = 120_000;
const SENDER = 'bench@sendarix.test';

const { values: args } = parseArgs({
  options: { messages: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '10' } },
});
const messages = Number(args.messages);
const concurrency = Number(args.concurrency);

type Send = (i: number) => Promise<void>;

function httpSend(sx: SendarixProcess): Send {
  return async () => {
    const res = await sx.api('POST', '/v1/messages', body());
    if (res.status !== 202) throw new Error(`HTTP answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
}

function smtpSend(sx: SendarixProcess, connections: number): { send: Send; close(): void } {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sx.smtpPort,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false }, // the embedded default's self-signed certificate
    auth: { user: 'apikey', pass: TEST_API_KEY },
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
  });
  return {
    send: async () => {
      const b = body();
      const info = await transport.sendMail({ from: SENDER, to: b.recipient, subject: b.subject, text: b.text });
      if (!String(info.response).startsWith('250 ')) throw new Error(`SMTP answered ${info.response}`);
    },
    close: () => transport.close(),
  };
}

function body() {
  const recipient = `bench-${randomUUID().slice(0, 12)}@example.com`;
  return { recipient, from: SENDER, subject: 'Benchmark', text: 'A short message.' };
}

let accepted = 0;

/** Messages accepted per second: `count` sends, `parallel` at a time. */
async function rate(send: Send, count: number, parallel: number): Promise<number> {
  await drained();
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      await send(next++);
      accepted++;
    }
  }));
  return count / ((performance.now() - started) / 1000);
}

let drained: () => Promise<void> = async () => undefined;

runStandalone(async ({ sx, peer }) => {
  drained = () => peer.waitUntil(() => peer.dataCount >= accepted, DRAIN_TIMEOUT_MS);
  const http = httpSend(sx);
  const sequential = smtpSend(sx, 1);
  const pooled = smtpSend(sx, concurrency);
  await rate(http, WARM_UP_MESSAGES, 1);
  await rate(sequential.send, WARM_UP_MESSAGES, 1);
  await rate(pooled.send, WARM_UP_MESSAGES, concurrency);

  const results = [
    { way: 'sequential', http: await rate(http, messages, 1), smtp: await rate(sequential.send, messages, 1) },
    {
      way: `${concurrency} concurrent`,
      http: await rate(http, messages, concurrency),
      smtp: await rate(pooled.send, messages, concurrency),
    },
  ];
  sequential.close();
  pooled.close();
  console.log(`${messages} messages each way, accepted per second (one recipient each):`);
  for (const r of results) {
    const perSecond = (n: number) => `${n.toFixed(1).padStart(7)}/s`;
    const ratio = (r.smtp / r.http).toFixed(2);
    console.log(`  ${r.way.padEnd(14)} HTTP ${perSecond(r.http)}   SMTP ${perSecond(r.smtp)}   SMTP/HTTP ${ratio}`);
  }
}, { SENDARIX_RATE_LIMIT_PER_MINUTE: '100000' });
