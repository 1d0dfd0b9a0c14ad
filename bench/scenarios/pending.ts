// A large backlog of scheduled messages: the worker's resident memory with them pending (P5) and the API's
// latency with them pending (P6), each against the same process measured just before, with none pending.
import { performance } from 'node:perf_hooks';
import type { BenchEnv } from '../support/environment';
import { messageBody, sendBatch } from '../support/messages';
import { cpuSeconds, rssBytes } from '../support/processes';
import { sleep } from '../support/stats';

const BATCH_SIZE = 100;
const BATCH_SENDERS = 4;
/** Far enough ahead that nothing becomes due during the run. */
const SCHEDULE_AHEAD_MS = 7 * 24 * 60 * 60 * 1000;
/** A process is settled once it used less than this share of a core over SETTLE_WINDOW_MS. */
const SETTLED_CPU_SHARE = 0.03;
const SETTLE_WINDOW_MS = 3_000;
const SETTLE_TIMEOUT_MS = 30 * 60 * 1000;
const RSS_SAMPLES = 5;

/** Waits until the process is idle, then reads its RSS a few times and keeps the median (bytes). */
export async function settledRss(pid: number): Promise<{ rssBytes: number; settleS: number }> {
  const started = performance.now();
  for (;;) {
    const before = cpuSeconds(pid);
    await sleep(SETTLE_WINDOW_MS);
    const share = (cpuSeconds(pid) - before) / (SETTLE_WINDOW_MS / 1000);
    if (share < SETTLED_CPU_SHARE || performance.now() - started > SETTLE_TIMEOUT_MS) break;
  }
  const samples: number[] = [];
  for (let i = 0; i < RSS_SAMPLES; i++) {
    samples.push(rssBytes(pid));
    await sleep(200);
  }
  samples.sort((a, b) => a - b);
  return { rssBytes: samples[Math.floor(samples.length / 2)] as number, settleS: (performance.now() - started) / 1000 };
}

/** Accepts `count` messages scheduled a week ahead through the batch endpoint; resolves with how many and how fast. */
export async function schedulePending(env: BenchEnv, count: number): Promise<{ accepted: number; perSecond: number }> {
  const scheduledTime = new Date(Date.now() + SCHEDULE_AHEAD_MS).toISOString();
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < count) {
      const size = Math.min(BATCH_SIZE, count - next);
      next += size;
      const bodies = Array.from({ length: size }, () =>
        messageBody(env.recipient('p5'), { scheduled_time: scheduledTime }),
      );
      const n = await sendBatch(env, bodies);
      accepted += n;
    }
  };
  await Promise.all(Array.from({ length: BATCH_SENDERS }, sender));
  return { accepted, perSecond: accepted / ((performance.now() - started) / 1000) };
}
