// Writes a message's state change: the event and the new status in one transaction, keyed on the
// workflow's sequence number so that a retried activity writes nothing twice.
import { ApplicationFailure } from '@temporalio/activity';
import { countRecordedEvent } from '../metrics/activity-counters';
import { fanOutFirstEvent, fanOutStoredEvent } from '../webhooks/stored-event';
import type { MessageStatus } from '../workflows/definitions';
import type { ActivityDeps } from './deps';

export interface RecordEventInput {
  messageId: string;
  projectId: string;
  seq: number;
  type: string;
  status: MessageStatus;
  data: Record<string, unknown>;
  final: boolean;
}

const DEAD_LETTER_STATUSES: readonly MessageStatus[] = ['bounced'];

export function recordActivities(deps: ActivityDeps) {
  const { prisma, logger } = deps;
  return {
    async recordEvent(input: RecordEventInput): Promise<void> {
      const { messageId, projectId, seq, type, status, data, final } = input;
      const eventId = `evt_${messageId.slice(4)}_${seq}`;
      const now = new Date();
      const smtp = (data.smtp ?? undefined) as object | undefined;
      const stored = await prisma.$transaction(async (tx) => {
        const message = await tx.message.findUnique({ where: { id: messageId }, select: { createdAt: true, scheduledAt: true } });
        if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
        const event = await tx.event.upsert({
          where: { id: eventId },
          create: { id: eventId, messageId, projectId, seq, type, data: data as object, createdAt: now },
          update: {},
        });
        await tx.message.update({
          where: { id: messageId },
          data: { status, ...(final ? { completedAt: now } : {}), ...(smtp ? { lastResponse: smtp } : {}) },
        });
        if (final && DEAD_LETTER_STATUSES.includes(status)) {
          await tx.deadLetter.upsert({
            where: { messageId },
            create: { messageId, projectId, reason: String(data.reason ?? data.bounce_type ?? status), lastResponse: smtp },
            update: {},
          });
        }
        // A retried activity finds the event stored by its first attempt, with that attempt's time.
        return { message, created: event.createdAt.getTime() === now.getTime() };
      });
      if (stored.created) countRecordedEvent({ type, status, final, at: now, message: stored.message });
      logger.info({ message_id: messageId, project_id: projectId, event: `message.${type}`, status }, 'message event');
      // The API wrote the first event (sequence 0) itself; it reaches the webhooks with the workflow's first one.
      if (seq === 1) await fanOutFirstEvent(deps, messageId);
      await fanOutStoredEvent(deps, eventId, status);
    },
  };
}
