// Queue depth: messages in each non-final status, read from the database when Prometheus scrapes. The read is
// bounded three ways: it walks the (project, status) index with a cap per project and status, at most one read
// runs per refresh interval (concurrent scrapes share it), and a read slower than the timeout keeps the last figures.
import { setTimeout as sleep } from 'node:timers/promises';
import { Gauge } from 'prom-client';
import type { Db } from '../db/client';
import type { MessageStatus } from '../workflows/definitions';
import { metricsRegistry } from './registry';

const PENDING_STATUSES: readonly MessageStatus[] = ['queued', 'scheduled', 'sending', 'deferred'];
/** Counting stops here for one project and status: the gauge then reads "at least this many". */
export const QUEUE_DEPTH_CAP = 1_000_000;
const REFRESH_INTERVAL_MS = 5_000;
const READ_TIMEOUT_MS = 2_000;

type Counts = Partial<Record<string, number>>;

let source: Db | undefined;
let last: { at: number; counts: Counts } | undefined;
let reading: Promise<Counts> | undefined;

new Gauge({
  name: 'sendarix_queue_depth',
  help: 'Messages not yet final, by status (from the database, refreshed on scrape at most every 5 s)',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
  async collect() {
    if (!source) return;
    const counts = await currentCounts(source);
    for (const status of PENDING_STATUSES) this.set({ status }, counts[status] ?? 0);
  },
});

/** Makes the gauge read this database (the process's one; a second call replaces the first). */
export function registerQueueDepth(prisma: Db): void {
  source = prisma;
}

async function currentCounts(prisma: Db): Promise<Counts> {
  if (last && Date.now() - last.at < REFRESH_INTERVAL_MS) return last.counts;
  reading ??= readCounts(prisma).finally(() => {
    reading = undefined;
  });
  const timeout = sleep(READ_TIMEOUT_MS, undefined, { ref: false });
  const counts = await Promise.race([reading.catch(() => undefined), timeout]);
  if (counts) last = { at: Date.now(), counts };
  return counts ?? last?.counts ?? {};
}

async function readCounts(prisma: Db): Promise<Counts> {
  const rows = await prisma.$queryRaw<{ status: string; n: number }[]>`
    SELECT s.status, count(*)::int AS n
    FROM projects p
    CROSS JOIN unnest(${[...PENDING_STATUSES]}::text[]) AS s(status)
    CROSS JOIN LATERAL (
      SELECT 1 FROM messages m WHERE m.project_id = p.id AND m.status = s.status LIMIT ${QUEUE_DEPTH_CAP}
    ) AS pending
    GROUP BY s.status`;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
