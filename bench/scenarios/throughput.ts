// Sustained delivery rate. The load generator keeps a bounded backlog (accepted, not yet delivered), so the
// pipeline is never idle and never buried; the rate is what was delivered over the measuring window. Baselines:
// bare workflows with as many no-op activities (P2), and nodemailer's pool sending straight to the peer (P3).
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import type { BareShape } from '../bare/workflows';
import { BARE_WORKFLOW, type BenchEnv } from '../support/environment';
import { HTML, SUBJECT, TEXT, messageBody, sendMessage } from '../support/messages';
import { sleep } from '../support/stats';

/** Requests or starts kept in flight by the generator. */
const SUBMITTERS = 16;
/** Sendarix's own SMTP pool size (src/mail/transports.ts), so the baseline uses the wire the same way. */
const POOL_MAX_CONNECTIONS = 5;
const DRAIN_TIMEOUT_MS = 180_000;
const BACKLOG_POLL_MS = 2;
const HISTORY_SAMPLE = 20;

export interface ThroughputFigures {
  perSecond: number;
  delivered: number;
  windowS: number;
  failed: number;
  drainS: number;
  /** The last message ids accepted (Sendarix only), for a look at their workflow histories. */
  sampleIds: string[];
}

interface Pipeline {
  submit(): Promise<string | void>;
  completed(): number;
}

async function sustained(p: Pipeline, warmupS: number, durationS: number, backlog: number): Promise<ThroughputFigures> {
  const base = p.completed();
  let submitted = 0;
  let failed = 0;
  const sampleIds: string[] = [];
  const begin = performance.now();
  const windowStart = begin + warmupS * 1000;
  const windowEnd = windowStart + durationS * 1000;
  let atStart: { t: number; done: number } | undefined;
  let atEnd: { t: number; done: number } | undefined;
  const marks = setInterval(() => {
    const t = performance.now();
    if (!atStart && t >= windowStart) atStart = { t, done: p.completed() };
    if (!atEnd && t >= windowEnd) atEnd = { t, done: p.completed() };
  }, 5);
  const submitter = async () => {
    while (performance.now() < windowEnd) {
      if (submitted - failed - (p.completed() - base) >= backlog) {
        await sleep(BACKLOG_POLL_MS);
        continue;
      }
      submitted++;
      try {
        const id = await p.submit();
        if (id) sampleIds.push(id);
        if (sampleIds.length > HISTORY_SAMPLE) sampleIds.shift();
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: SUBMITTERS }, submitter));
  while (!atEnd) await sleep(5);
  clearInterval(marks);
  const drainFrom = performance.now();
  while (p.completed() - base < submitted - failed && performance.now() - drainFrom < DRAIN_TIMEOUT_MS) await sleep(20);
  const start = atStart as { t: number; done: number };
  const windowS = (atEnd.t - start.t) / 1000;
  const delivered = atEnd.done - start.done;
  return {
    perSecond: delivered / windowS,
    delivered,
    windowS,
    failed,
    drainS: (performance.now() - drainFrom) / 1000,
    sampleIds,
  };
}

export function sendarixThroughput(env: BenchEnv, warmupS: number, durationS: number, backlog: number) {
  return sustained(
    { submit: () => sendMessage(env, messageBody(env.recipient('p2'))), completed: () => env.deliveries.count() },
    warmupS,
    durationS,
    backlog,
  );
}

export function bareThroughput(
  env: BenchEnv,
  warmupS: number,
  durationS: number,
  backlog: number,
  activities: BareShape,
) {
  return sustained(
    {
      submit: async () => {
        await env.client.workflow.start(BARE_WORKFLOW, {
          taskQueue: env.bareTaskQueue,
          workflowId: `bare-${env.recipient('p2')}`,
          args: [...activities],
        });
      },
      completed: () => env.bare.finished(),
    },
    warmupS,
    durationS,
    backlog,
  );
}

/** nodemailer's pool straight to the peer, with the same message, as fast as it goes. */
export async function nodemailerThroughput(env: BenchEnv, warmupS: number, durationS: number, backlog: number) {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: POOL_MAX_CONNECTIONS,
    host: '127.0.0.1',
    port: env.peer.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await sustained(
      {
        submit: async () => {
          await transport.sendMail({
            from: 'Sendarix Bench <bench@sendarix.localhost>',
            to: env.recipient('p3'),
            subject: SUBJECT,
            text: TEXT,
            html: HTML,
          });
        },
        completed: () => env.deliveries.count(),
      },
      warmupS,
      durationS,
      backlog,
    );
  } finally {
    transport.close();
  }
}
