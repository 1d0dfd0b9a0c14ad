// Fan-out of events already in the database, read back by id so that the payload carries the stored
// timestamp even when the writer was retried.
import { fanOutEvent, type FanOutDeps } from './fan-out';

/** Fans out a stored event; `status` is the message's status after it (the stored status when absent). */
export async function fanOutStoredEvent(deps: FanOutDeps, eventId: string, status?: string): Promise<number> {
  const row = await deps.prisma.event.findUnique({ where: { id: eventId } });
  if (!row) return 0;
  return fanOutEvent(deps, {
    id: row.id,
    messageId: row.messageId,
    projectId: row.projectId,
    seq: row.seq,
    type: row.type,
    data: (row.data ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt,
    status,
  });
}

/**
 * Fans out a message's first event (`queued` or `scheduled`, sequence 0). The API writes it when it accepts the
 * message, before any worker is involved, so it goes out with the workflow's first event; its type is the
 * status the API set.
 */
export async function fanOutFirstEvent(deps: FanOutDeps, messageId: string): Promise<number> {
  const row = await deps.prisma.event.findFirst({ where: { messageId, seq: 0 }, select: { id: true, type: true } });
  return row ? fanOutStoredEvent(deps, row.id, row.type) : 0;
}
