// Events that reach a message from outside its workflow (an unsubscribe click, a late bounce, a complaint),
// usually after the workflow has finished. They take the next sequence number after the message's last
// event; a concurrent writer of the same number makes us take the one after. Once written, the event goes out
// to the project's webhooks.
import { fanOutEvent, type FanOutDeps } from '../webhooks/fan-out';
import type { MessageStatus } from '../workflows/definitions';

const UNIQUE_VIOLATION = 'P2002';
const MAX_SEQUENCE_RACES = 5;

export interface ExternalEvent {
  messageId: string;
  projectId: string;
  type: string;
  data: Record<string, unknown>;
  /** New status for the message, when the event changes it (e.g. `complained`). */
  status?: MessageStatus;
}

export interface RecordedEvent {
  id: string;
  messageId: string;
  projectId: string;
  seq: number;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** What recording needs: the database, and Temporal and the webhook settings for the fan-out (ApiDeps will do). */
export type ExternalEventDeps = FanOutDeps;

export async function recordExternalEvent(deps: ExternalEventDeps, event: ExternalEvent): Promise<RecordedEvent> {
  const recorded = await writeEvent(deps, event);
  await fanOutEvent(deps, { ...recorded, status: event.status });
  return recorded;
}

async function writeEvent({ prisma }: ExternalEventDeps, event: ExternalEvent): Promise<RecordedEvent> {
  for (let race = 0; ; race++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const last = await tx.event.findFirst({ where: { messageId: event.messageId }, orderBy: { seq: 'desc' } });
        const seq = (last?.seq ?? -1) + 1;
        const id = `evt_${event.messageId.slice(4)}_${seq}`;
        const createdAt = new Date();
        await tx.event.create({
          data: { id, messageId: event.messageId, projectId: event.projectId, seq, type: event.type, data: event.data as object, createdAt },
        });
        if (event.status) await tx.message.update({ where: { id: event.messageId }, data: { status: event.status } });
        return { id, seq, createdAt, ...event };
      });
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION || race >= MAX_SEQUENCE_RACES) throw err;
    }
  }
}
