// End-to-end latency at a low steady rate: POST /v1/messages → the peer accepting DATA for that recipient,
// against a bare workflow's round trip (start → result) at the same rate.
import { performance } from 'node:perf_hooks';
import type { BareShape } from '../bare/workflows';
import { BARE_WORKFLOW, type BenchEnv } from '../support/environment';
import { messageBody, sendMessage } from '../support/messages';
import { percentile, sleep } from '../support/stats';

const SETTLE_TIMEOUT_MS = 60_000;

export interface RoundTripFigures {
  p50Ms: number;
  p99Ms: number;
  samples: number;
  failed: number;
  /** Sendarix message ids, for a look at their workflow histories. */
  ids: string[];
}

/** Calls `one` every 1/rate s for `durationS` (open loop) and collects the latencies it resolves with. */
async function openLoop(
  ratePerS: number,
  durationS: number,
  one: () => Promise<number>,
): Promise<Omit<RoundTripFigures, 'ids'>> {
  const samples: number[] = [];
  let failed = 0;
  const total = Math.round(ratePerS * durationS);
  const startedAt = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = startedAt + (i * 1000) / ratePerS - performance.now();
    if (wait > 0) await sleep(wait);
    all.push(
      one().then(
        (ms) => void samples.push(ms),
        () => void failed++,
      ),
    );
  }
  await Promise.all(all);
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), samples: samples.length, failed };
}

export async function sendarixRoundTrip(env: BenchEnv, ratePerS: number, durationS: number): Promise<RoundTripFigures> {
  const ids: string[] = [];
  const figures = await openLoop(ratePerS, durationS, async () => {
    const recipient = env.recipient('p4');
    const t0 = performance.now();
    ids.push(await sendMessage(env, messageBody(recipient)));
    const deadline = t0 + SETTLE_TIMEOUT_MS;
    for (;;) {
      const at = env.deliveries.acceptedAt(recipient);
      if (at !== undefined) return at - t0;
      if (performance.now() > deadline) throw new Error(`${recipient} not delivered`);
      await sleep(1);
    }
  });
  return { ...figures, ids };
}

export async function bareRoundTrip(
  env: BenchEnv,
  ratePerS: number,
  durationS: number,
  activities: BareShape,
): Promise<RoundTripFigures> {
  const ids: string[] = [];
  const figures = await openLoop(ratePerS, durationS, async () => {
    const t0 = performance.now();
    const workflowId = `bare-${env.recipient('p4')}`;
    ids.push(workflowId);
    const args = [...activities];
    await env.client.workflow.execute(BARE_WORKFLOW, { taskQueue: env.bareTaskQueue, workflowId, args });
    return performance.now() - t0;
  });
  return { ...figures, ids };
}
