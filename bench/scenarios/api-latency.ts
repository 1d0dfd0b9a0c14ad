// POST /v1/messages latency at a fixed request rate (autocannon), and its baseline: a bare
// `client.workflow.start` at the same rate from this process, against the same Temporal server.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { BenchEnv } from '../support/environment';
import type { BareShape } from '../bare/workflows';
import { BARE_WORKFLOW } from '../support/environment';
import { AUTH_HEADERS, messageBody } from '../support/messages';
import { percentile, sleep } from '../support/stats';

/**
 * Connections autocannon spreads the rate over: one per request a second, so that the rate holds while answers
 * take up to a second (each connection waits for its answer before its next request).
 */
const connectionsFor = (ratePerS: number) => Math.max(10, Math.ceil(ratePerS));
const WARMUP_S = 2;

export interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
}

export async function apiLatencyAtRate(
  env: BenchEnv,
  ratePerS: number,
  durationS: number,
  tag: string,
): Promise<LatencyFigures> {
  await runAutocannon(env, ratePerS, WARMUP_S, tag);
  return runAutocannon(env, ratePerS, durationS, tag);
}

async function runAutocannon(env: BenchEnv, ratePerS: number, durationS: number, tag: string): Promise<LatencyFigures> {
  const samples: number[] = [];
  let failed = 0;
  const options: autocannon.Options = {
    url: `${env.apiUrl}/v1/messages`,
    method: 'POST',
    headers: AUTH_HEADERS,
    connections: connectionsFor(ratePerS),
    overallRate: ratePerS,
    duration: durationS,
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(messageBody(env.recipient(tag))) }) }],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err, res) => (err ? reject(err) : resolve(res)));
    // Raw response times (autocannon's own histogram keeps whole milliseconds only).
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode === 202) samples.push(responseTimeMs);
      else failed++;
    });
  });
  return {
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    requests: samples.length,
    failed: failed + result.errors,
  };
}

/** Open loop: one start every 1/rate s, whether or not the previous one has answered. */
export async function bareStartLatencyAtRate(
  env: BenchEnv,
  ratePerS: number,
  durationS: number,
  activities: BareShape,
): Promise<LatencyFigures> {
  await bareStarts(env, ratePerS, WARMUP_S, activities);
  return bareStarts(env, ratePerS, durationS, activities);
}

async function bareStarts(
  env: BenchEnv,
  ratePerS: number,
  durationS: number,
  activities: BareShape,
): Promise<LatencyFigures> {
  const samples: number[] = [];
  let failed = 0;
  const total = Math.round(ratePerS * durationS);
  const intervalMs = 1000 / ratePerS;
  const startedAt = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = startedAt + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const t0 = performance.now();
    inFlight.push(
      env.client.workflow
        .start(BARE_WORKFLOW, {
          taskQueue: env.bareTaskQueue,
          workflowId: `bare-${env.recipient('start')}`,
          args: [...activities],
        })
        .then(
          () => void samples.push(performance.now() - t0),
          () => void failed++,
        ),
    );
  }
  await Promise.all(inFlight);
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), requests: samples.length, failed };
}
