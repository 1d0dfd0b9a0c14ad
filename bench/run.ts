// `npm run bench [-- --quick] [--runs N] [--only P1,P4] …`: Sendarix's production shape (API and worker processes,
// PostgreSQL, a Temporal dev server, a loopback SMTP peer) against baselines measured in the same run on the same
// servers. Each run builds a fresh world; figures are reported as min/median/max over the runs and written to
// bench/results/<id>.json, with a summary in bench/RESULTS.md (bench/results/summary.md for --quick).
import os from 'node:os';
import path from 'node:path';
import { cpuUsage } from 'node:process';
import { startEnvironment, type BenchEnv } from './support/environment';
import { parseOptions, type BenchOptions, type ScenarioId } from './support/options';
import { cpuSeconds } from './support/processes';
import { perMessage, readCounters, waitForDrain } from './support/database-stats';
import { historyShape } from './support/history';
import { writeResults, type RunResult, type ScenarioRun } from './support/results';
import { apiLatencyAtRate, bareStartLatencyAtRate } from './scenarios/api-latency';
import { bareRoundTrip, sendarixRoundTrip } from './scenarios/delivery-latency';
import { schedulePending, settledRss } from './scenarios/pending';
import { bareThroughput, nodemailerThroughput, sendarixThroughput } from './scenarios/throughput';

const RESULTS_DIR = path.join(__dirname, 'results');
const DRAIN_TIMEOUT_MS = 300_000;
/** Workflow histories read to say where a message's time went. */
const HISTORY_SAMPLE = 20;

/** The world of the run in progress, stopped (processes ended, database dropped) if the bench is interrupted. */
let current: BenchEnv | undefined;

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  log(`${signal}: stopping the run's processes and dropping its database`);
  await current?.stop();
  process.exit(130);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const runs: RunResult[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    const runDir = path.join(RESULTS_DIR, 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-${run}`);
    log(`run ${run}/${opts.runs} (logs in ${path.relative(process.cwd(), runDir)})`);
    const loadBefore = os.loadavg();
    const env = await startEnvironment(opts, runDir);
    current = env;
    try {
      const scenarios = await runScenarios(env, opts);
      runs.push({ run, loadBefore, loadAfter: os.loadavg(), scenarios });
    } finally {
      current = undefined;
      await env.stop();
    }
  }
  const written = writeResults(RESULTS_DIR, opts, runs);
  log(`wrote ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
}

const has = (opts: BenchOptions, ...ids: ScenarioId[]) => ids.some((id) => opts.only.includes(id));

async function runScenarios(env: BenchEnv, opts: BenchOptions): Promise<ScenarioRun[]> {
  const out: ScenarioRun[] = [];
  const settle = () => waitForDrain(env.databaseUrl, DRAIN_TIMEOUT_MS);

  if (has(opts, 'P4')) {
    log('P4: POST → DATA accepted at a low rate, against a bare workflow round trip');
    const base = await bareRoundTrip(env, opts.p4RatePerS, opts.p4DurationS, opts.bareActivities);
    const sx = await sendarixRoundTrip(env, opts.p4RatePerS, opts.p4DurationS);
    await settle();
    const costs = {
      sendarix_history: await historyShape(
        env.client,
        sx.ids.slice(-HISTORY_SAMPLE).map((id) => `message-${id}`),
      ),
      bare_history: await historyShape(env.client, base.ids.slice(-HISTORY_SAMPLE)),
    };
    const figures = {
      sendarix_p50_ms: sx.p50Ms,
      sendarix_p99_ms: sx.p99Ms,
      bare_p50_ms: base.p50Ms,
      bare_p99_ms: base.p99Ms,
      samples: sx.samples,
      failed: sx.failed + base.failed,
    };
    out.push(scenario('P4', figures, sx.p99Ms / base.p99Ms, costs));
  }

  if (has(opts, 'P1')) {
    log(`P1: POST /v1/messages at ${opts.p1RatePerS}/s, against bare workflow starts at the same rate`);
    const base = await bareStartLatencyAtRate(env, opts.p1RatePerS, opts.p1DurationS, opts.bareActivities);
    const sx = await apiLatencyAtRate(env, opts.p1RatePerS, opts.p1DurationS, 'p1');
    await settle();
    out.push(
      scenario(
        'P1',
        {
          sendarix_p50_ms: sx.p50Ms,
          sendarix_p99_ms: sx.p99Ms,
          bare_p50_ms: base.p50Ms,
          bare_p99_ms: base.p99Ms,
          ratio_p50: sx.p50Ms / base.p50Ms,
          achieved_per_s: sx.requests / opts.p1DurationS,
          failed: sx.failed + base.failed,
        },
        sx.p99Ms / base.p99Ms,
      ),
    );
  }

  if (has(opts, 'P2', 'P3')) {
    log(`P2/P3: delivered per second over ${opts.p2DurationS} s, backlog ≤ ${opts.p2Backlog}`);
    const bareCpu = processCpu(env);
    const bareBefore = env.bare.finished();
    const bare = has(opts, 'P2')
      ? await bareThroughput(env, opts.p2WarmupS, opts.p2DurationS, opts.p2Backlog, opts.bareActivities)
      : undefined;
    const bareCpuMs = bare ? bareCpu.perMessage(env.bare.finished() - bareBefore) : undefined;
    const counters = await readCounters(env.databaseUrl);
    const cpu = processCpu(env);
    const deliveredBefore = env.deliveries.count();
    const sx = await sendarixThroughput(env, opts.p2WarmupS, opts.p2DurationS, opts.p2Backlog);
    await settle();
    const delivered = env.deliveries.count() - deliveredBefore;
    const costs = {
      database: perMessage(counters, await readCounters(env.databaseUrl), delivered),
      cpu_ms_per_message: cpu.perMessage(delivered),
      bare_cpu_ms_per_workflow: bareCpuMs,
      history: await historyShape(
        env.client,
        sx.sampleIds.map((id) => `message-${id}`),
      ),
    };
    const figures = {
      sendarix_per_s: sx.perSecond,
      delivered: sx.delivered,
      window_s: sx.windowS,
      failed: sx.failed,
      drain_s: sx.drainS,
    };
    if (bare)
      out.push(scenario('P2', { ...figures, bare_per_s: bare.perSecond }, sx.perSecond / bare.perSecond, costs));
    if (has(opts, 'P3')) {
      const mailer = await nodemailerThroughput(env, Math.min(opts.p2WarmupS, 2), opts.p3DurationS, opts.p2Backlog);
      out.push(scenario('P3', { ...figures, nodemailer_per_s: mailer.perSecond }, sx.perSecond / mailer.perSecond));
    }
  }

  if (has(opts, 'P5', 'P6')) {
    log(`P5/P6: ${opts.pending} scheduled messages pending`);
    const idle = await settledRss(env.worker.pid);
    const empty = has(opts, 'P6')
      ? await apiLatencyAtRate(env, opts.p6RatePerS, opts.p6DurationS, 'p6-empty')
      : undefined;
    await settle();
    const scheduled = await schedulePending(env, opts.pending);
    log(
      `P5/P6: accepted ${scheduled.accepted} at ${scheduled.perSecond.toFixed(0)}/s; waiting for the worker to settle`,
    );
    const loaded = await settledRss(env.worker.pid);
    if (has(opts, 'P5')) {
      out.push(
        scenario(
          'P5',
          {
            idle_rss_mb: idle.rssBytes / 2 ** 20,
            pending_rss_mb: loaded.rssBytes / 2 ** 20,
            pending: scheduled.accepted,
            accept_per_s: scheduled.perSecond,
            settle_s: loaded.settleS,
          },
          loaded.rssBytes / idle.rssBytes,
        ),
      );
    }
    if (empty) {
      // The last scenario of a run: its messages need not be delivered before the world is torn down.
      const busy = await apiLatencyAtRate(env, opts.p6RatePerS, opts.p6DurationS, 'p6-pending');
      out.push(
        scenario(
          'P6',
          {
            empty_p50_ms: empty.p50Ms,
            empty_p99_ms: empty.p99Ms,
            pending_p50_ms: busy.p50Ms,
            pending_p99_ms: busy.p99Ms,
            pending: scheduled.accepted,
            achieved_per_s: busy.requests / opts.p6DurationS,
            failed: empty.failed + busy.failed,
          },
          busy.p99Ms / empty.p99Ms,
        ),
      );
    }
  }
  return out;
}

function scenario(id: ScenarioId, figures: Record<string, number>, ratio: number, costs?: unknown): ScenarioRun {
  const compact = (value: unknown) =>
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(2)) : v));
  log(`${id}: ratio ${ratio.toFixed(2)} ${compact(figures)}`);
  if (costs) log(`${id} costs: ${compact(costs)}`);
  return { id, figures, ratio, costs };
}

/** CPU time of each process from now on, per delivered message (milliseconds). */
function processCpu(env: BenchEnv) {
  const pids = { api: env.api.pid, worker: env.worker.pid, temporal: env.temporal.pid, bare_worker: env.bare.pid };
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? cpuSeconds(pid) : 0]));
  const bench = cpuUsage();
  return {
    perMessage(messages: number): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [k, pid] of Object.entries(pids))
        if (pid) out[k] = ((cpuSeconds(pid) - (start[k] ?? 0)) * 1000) / messages;
      const used = cpuUsage(bench);
      out.bench_and_peer = (used.user + used.system) / 1000 / messages;
      return out;
    },
  };
}

function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
