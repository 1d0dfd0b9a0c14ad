// Fan-out of events already in the database, read back by id so that the payload carries the stored
// timestamp even when the writer was retried.
import type { Event } from '../../generated/prisma/client';
import { fanOutEvent, type FanOutDeps } from './fan-out';
import type { WebhookSourceEvent } from './payload';

/** A stored event row as the fan-out takes it; `status` is the message's status after it. */
export function sourceEventOf(row: Event, status?: string): WebhookSourceEvent {
  const { id, messageId, projectId, seq, type, createdAt } = row;
  return { id, messageId, projectId, seq, type, data: (row.data ?? {}) as Record<string, unknown>, createdAt, status };
}

/** Fans out a stored event; `status` is the message's status after it (the stored status when absent). */
export async function fanOutStoredEvent(deps: FanOutDeps, eventId: string, status?: string): Promise<number> {
  const row = await deps.prisma.event.findUnique({ where: { id: eventId } });
  return row ? fanOutEvent(deps, sourceEventOf(row, status)) : 0;
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
