// Pacing without a home-made limiter: every paced rule has its own task queue, and the worker polling it
// sets Temporal's task-queue activity rate limit, which the server enforces across all workers. This
// keeps one such worker per paced rule in this process, following the routes table.
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { routeTaskQueue } from './policy-store';
import { ratePerSecond, routesSchema } from './rules';

export const RECONCILE_INTERVAL_MS = 5_000;

interface Running {
  worker: Worker;
  done: Promise<void>;
  signature: string;
}

export class RouteWorkers {
  private readonly running = new Map<string, Running>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly opts: {
      prisma: Db;
      connection: NativeConnection;
      namespace: string;
      activities: object;
      logger: Logger;
    },
  ) {}

  async start(): Promise<void> {
    await this.reconcile();
    this.timer = setInterval(() => {
      this.reconcile().catch((err: unknown) => this.opts.logger.error({ err }, 'route workers: reconcile failed'));
    }, RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Starts workers for new or changed paced rules and stops those whose rule is gone or changed. */
  async reconcile(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, { rate: number; concurrency?: number }>();
    const projects = await this.opts.prisma.project.findMany({ where: { routes: { not: undefined } }, select: { id: true, routes: true } });
    for (const project of projects) {
      const parsed = routesSchema.safeParse(project.routes);
      if (!parsed.success) continue;
      for (const rule of parsed.data.rules) {
        const rate = ratePerSecond(rule);
        if (rate !== undefined) wanted.set(routeTaskQueue(project.id, rule.name), { rate, concurrency: rule.concurrency });
      }
    }
    for (const [queue, running] of this.running) {
      const want = wanted.get(queue);
      if (!want || signatureOf(want) !== running.signature) await this.stopOne(queue);
    }
    for (const [queue, want] of wanted) {
      if (!this.running.has(queue) && !this.stopped) await this.startOne(queue, want);
    }
  }

  private async startOne(taskQueue: string, want: { rate: number; concurrency?: number }): Promise<void> {
    const worker = await Worker.create({
      connection: this.opts.connection,
      namespace: this.opts.namespace,
      taskQueue,
      activities: this.opts.activities,
      maxTaskQueueActivitiesPerSecond: want.rate,
      maxConcurrentActivityTaskExecutions: want.concurrency ?? 100,
    });
    const done = worker.run().catch((err: unknown) => this.opts.logger.error({ err, task_queue: taskQueue }, 'route worker failed'));
    this.running.set(taskQueue, { worker, done, signature: signatureOf(want) });
    this.opts.logger.info({ task_queue: taskQueue, per_second: want.rate, concurrency: want.concurrency }, 'route worker started');
  }

  private async stopOne(taskQueue: string): Promise<void> {
    const running = this.running.get(taskQueue);
    if (!running) return;
    this.running.delete(taskQueue);
    // On SIGTERM the SDK may already be draining every worker; a second shutdown() would throw.
    if (running.worker.getState() === 'RUNNING') running.worker.shutdown();
    await running.done;
    this.opts.logger.info({ task_queue: taskQueue }, 'route worker stopped');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.running.keys()].map((queue) => this.stopOne(queue)));
  }
}

function signatureOf(want: { rate: number; concurrency?: number }): string {
  return `${want.rate}/${want.concurrency ?? ''}`;
}
