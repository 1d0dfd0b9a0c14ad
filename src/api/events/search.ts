// Event search in one SQL statement. The filters and the newest-first order apply to `events` alone, so that
// PostgreSQL walks one of its (project, created_at) or (project, type, created_at) indexes and stops after a page;
// only the rows of that page are joined to `messages` for their recipient and route. A recipient or route filter
// first resolves the project's matching message ids through the messages indexes.
import { Prisma } from '../../../generated/prisma/client';
import type { Db } from '../../db/client';

export interface EventFilter {
  projectId: string;
  messageId?: string;
  /** Recipient as normalised for suppression (the messages' `recipient_key`). */
  recipientKey?: string;
  /** Bare event type as stored (`delivered`). */
  type?: string;
  route?: string;
  /** Inclusive lower bound on the event time. */
  from?: Date;
  /** Exclusive upper bound on the event time. */
  to?: Date;
  /** Keyset cursor: only events older than this one (by time, then id). */
  before?: { createdAt: Date; id: string };
  /** Rows to fetch; a caller asks for one more than a page to learn whether another page follows. */
  limit: number;
}

export interface EventRow {
  id: string;
  message_id: string;
  seq: number;
  type: string;
  data: unknown;
  created_at: Date;
  recipient: string;
  route: string | null;
}

/** The statement for a filter; the benchmark runs EXPLAIN ANALYZE on this very value. */
export function eventSearchSql(f: EventFilter): Prisma.Sql {
  const where: Prisma.Sql[] = [Prisma.sql`e.project_id = ${f.projectId}`];
  if (f.messageId !== undefined) where.push(Prisma.sql`e.message_id = ${f.messageId}`);
  if (f.type !== undefined) where.push(Prisma.sql`e.type = ${f.type}`);
  if (f.from !== undefined) where.push(Prisma.sql`e.created_at >= ${f.from}`);
  if (f.to !== undefined) where.push(Prisma.sql`e.created_at < ${f.to}`);
  if (f.recipientKey !== undefined) {
    // An array rather than a join or IN: the planner then looks the few ids up by (message_id, seq) instead of
    // walking the time index and probing each event's message, which is slow for a recipient with many events.
    where.push(Prisma.sql`e.message_id = ANY(ARRAY(
      SELECT id FROM messages WHERE project_id = ${f.projectId} AND recipient_key = ${f.recipientKey}))`);
  }
  if (f.route !== undefined) {
    where.push(Prisma.sql`e.message_id IN (
      SELECT id FROM messages WHERE project_id = ${f.projectId} AND route = ${f.route})`);
  }
  if (f.before !== undefined) {
    const { createdAt, id } = f.before;
    where.push(Prisma.sql`e.created_at <= ${createdAt} AND (e.created_at < ${createdAt} OR e.id < ${id})`);
  }
  return Prisma.sql`
    SELECT e.id, e.message_id, e.seq, e.type, e.data, e.created_at, m.recipient, m.route
    FROM (
      SELECT e.id, e.message_id, e.seq, e.type, e.data, e.created_at
      FROM events e
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY e.created_at DESC, e.id DESC
      LIMIT ${f.limit}
    ) e
    JOIN messages m ON m.id = e.message_id
    ORDER BY e.created_at DESC, e.id DESC`;
}

export function searchEvents(prisma: Db, filter: EventFilter): Promise<EventRow[]> {
  return prisma.$queryRaw<EventRow[]>(eventSearchSql(filter));
}
