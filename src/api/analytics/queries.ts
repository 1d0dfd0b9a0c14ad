// The two statements behind GET /v1/analytics, computed in the database with GROUPING SETS so that one pass
// yields every bucket, every group, each group's buckets and the totals (percentiles cannot be added up later).
// Messages are counted in the bucket of their acceptance; events in the bucket in which they happened. Both
// ranges are read through the (project_id, created_at) indexes. Events are first counted with a plain GROUP BY
// (a hash aggregate over the range), and only those few rows are rolled up: sorting every event of a month for
// the grouping sets took seconds at a million events.
import { Prisma } from '../../../generated/prisma/client';
import type { Db } from '../../db/client';
import type { AnalyticsRange, GroupBy } from './schemas';

/** Groups reported one by one (the most messages first); the others count in the totals only. */
export const MAX_GROUPS = 50;

const GROUP_COLUMN: Record<GroupBy, Prisma.Sql> = {
  route: Prisma.sql`m.route`,
  recipient_domain: Prisma.sql`m.recipient_domain`,
};

/** One grouping-set row: `bucket` is null in rows over the whole range, `grp` null in rows over all groups. */
interface GroupingRow {
  bucket: Date | null;
  grp: string | null;
  all_time: number;
  all_groups: number;
}

export interface MessageStatsRow extends GroupingRow {
  messages: number;
  queued: number;
  scheduled: number;
  sending: number;
  deferred: number;
  delivered: number;
  bounced: number;
  suppressed: number;
  cancelled: number;
  complained: number;
  delivery_rate: number | null;
  bounce_rate: number | null;
  complaint_rate: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  latency_p99_ms: number | null;
}

export interface EventStatsRow extends GroupingRow {
  type: string;
  events: number;
}

/** The pieces of both statements that differ with and without a grouping. */
function parts(projectId: string, r: AnalyticsRange) {
  if (!r.groupBy) {
    return {
      column: Prisma.sql`NULL::text`,
      grp: Prisma.sql`NULL::text`,
      allGroups: Prisma.sql`1`,
      sets: Prisma.sql`(bucket), ()`,
      typeSets: Prisma.sql`(bucket, type), (type)`,
      top: Prisma.empty,
      having: Prisma.empty,
    };
  }
  const column = GROUP_COLUMN[r.groupBy];
  return {
    column,
    grp: Prisma.sql`grp`,
    allGroups: Prisma.sql`GROUPING(grp)::int`,
    sets: Prisma.sql`(bucket, grp), (bucket), (grp), ()`,
    typeSets: Prisma.sql`(bucket, grp, type), (bucket, type), (grp, type), (type)`,
    // Materialized: inlined, PostgreSQL ran it again for every group row of HAVING.
    top: Prisma.sql`top AS MATERIALIZED (
      SELECT ${column} AS grp FROM messages m
      WHERE m.project_id = ${projectId} AND m.created_at >= ${r.from} AND m.created_at < ${r.to}
      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${MAX_GROUPS}),`,
    // Rows of a group outside the largest MAX_GROUPS are dropped; rows over all groups always stay.
    having: Prisma.sql`HAVING GROUPING(grp) = 1 OR EXISTS (SELECT 1 FROM top WHERE top.grp IS NOT DISTINCT FROM x.grp)`,
  };
}

/**
 * Messages accepted in the range: counts per status, the delivery, bounce and complaint rates, and the
 * accept→delivered latency percentiles. Rates are over the messages with an SMTP outcome (delivered, bounced,
 * complained); the complaint rate is over the delivered ones (a complaint follows a delivery).
 */
export function messageStatsSql(projectId: string, r: AnalyticsRange): Prisma.Sql {
  const { column, grp, sets, top, having, allGroups } = parts(projectId, r);
  return Prisma.sql`WITH ${top} base AS (
      SELECT date_trunc(${r.granularity}, m.created_at, 'UTC') AS bucket, ${column} AS grp, m.status,
        -- completed_at is the time of the delivered event; a complaint later leaves it as it was.
        CASE WHEN m.status IN ('delivered', 'complained')
          THEN extract(epoch FROM m.completed_at - m.created_at) * 1000 END AS latency_ms
      FROM messages m
      WHERE m.project_id = ${projectId} AND m.created_at >= ${r.from} AND m.created_at < ${r.to})
    SELECT bucket, ${grp} AS grp, GROUPING(bucket)::int AS all_time, ${allGroups} AS all_groups,
      count(*)::int AS messages,
      count(*) FILTER (WHERE status = 'queued')::int AS queued,
      count(*) FILTER (WHERE status = 'scheduled')::int AS scheduled,
      count(*) FILTER (WHERE status = 'sending')::int AS sending,
      count(*) FILTER (WHERE status = 'deferred')::int AS deferred,
      count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
      count(*) FILTER (WHERE status = 'bounced')::int AS bounced,
      count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed,
      count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
      count(*) FILTER (WHERE status = 'complained')::int AS complained,
      (count(*) FILTER (WHERE status IN ('delivered', 'complained')))::float8
        / NULLIF(count(*) FILTER (WHERE status IN ('delivered', 'bounced', 'complained')), 0) AS delivery_rate,
      (count(*) FILTER (WHERE status = 'bounced'))::float8
        / NULLIF(count(*) FILTER (WHERE status IN ('delivered', 'bounced', 'complained')), 0) AS bounce_rate,
      (count(*) FILTER (WHERE status = 'complained'))::float8
        / NULLIF(count(*) FILTER (WHERE status IN ('delivered', 'complained')), 0) AS complaint_rate,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS latency_p50_ms,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS latency_p95_ms,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS latency_p99_ms
    FROM base x
    GROUP BY GROUPING SETS (${sets})
    ${having}`;
}

/** Events that happened in the range, counted per type. */
export function eventStatsSql(projectId: string, r: AnalyticsRange): Prisma.Sql {
  const { column, grp, typeSets, top, having, allGroups } = parts(projectId, r);
  // The project condition on messages lets PostgreSQL hash the project's messages instead of probing the
  // primary key once per event.
  const join = r.groupBy
    ? Prisma.sql`JOIN messages m ON m.id = e.message_id AND m.project_id = ${projectId}`
    : Prisma.empty;
  return Prisma.sql`WITH ${top} base AS (
      SELECT date_trunc(${r.granularity}, e.created_at, 'UTC') AS bucket, ${column} AS grp, e.type, count(*) AS n
      FROM events e ${join}
      WHERE e.project_id = ${projectId} AND e.created_at >= ${r.from} AND e.created_at < ${r.to}
      GROUP BY 1, 2, 3)
    SELECT bucket, ${grp} AS grp, GROUPING(bucket)::int AS all_time, ${allGroups} AS all_groups, type,
      sum(n)::int AS events
    FROM base x
    GROUP BY GROUPING SETS (${typeSets})
    ${having}`;
}

export async function analyticsRows(prisma: Db, projectId: string, r: AnalyticsRange) {
  const messages = await prisma.$queryRaw<MessageStatsRow[]>(messageStatsSql(projectId, r));
  const events = await prisma.$queryRaw<EventStatsRow[]>(eventStatsSql(projectId, r));
  return { messages, events };
}
