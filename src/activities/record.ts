// Writes a message's state change: the event and the new status in one transaction, keyed on the
// workflow's sequence number so that a retried activity writes nothing twice. Every activity that changes a
// message's status goes through storeEvent, so a state change costs one transaction, however it came about.
import { ApplicationFailure } from '@temporalio/activity';
import type { Prisma } from '../../generated/prisma/client';
import { countRecordedEvent } from '../metrics/activity-counters';
import { fanOutEvents } from '../webhooks/fan-out';
import { sourceEventOf } from '../webhooks/stored-event';
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
const deadLetterReason = (data: Record<string, unknown>, status: string) =>
  String(data.reason ?? data.bounce_type ?? status);

/** The fields of the message row a webhook payload carries, read in the same transaction as the event. */
const PAYLOAD_FIELDS = { createdAt: true, scheduledAt: true, recipient: true, metadata: true, tags: true } as const;

/**
 * Stores one event with the message's new status (and `message`, more columns of the same update), logs it and fans
 * it out to the webhooks. The message row must exist: a message deleted under its workflow fails for good.
 */
export async function storeEvent(
  deps: ActivityDeps,
  input: RecordEventInput,
  message: Prisma.MessageUpdateInput = {},
): Promise<void> {
  const { prisma, logger } = deps;
  const { messageId, projectId, seq, type, status, data, final } = input;
  const eventId = `evt_${messageId.slice(4)}_${seq}`;
  const now = new Date();
  const smtp = (data.smtp ?? undefined) as object | undefined;
  const stored = await prisma.$transaction(async (tx) => {
    const row = await tx.message.findUnique({ where: { id: messageId }, select: PAYLOAD_FIELDS });
    if (!row) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
    const event = await tx.event.upsert({
      where: { id: eventId },
      create: { id: eventId, messageId, projectId, seq, type, data: data as object, createdAt: now },
      update: {},
    });
    await tx.message.update({
      where: { id: messageId },
      data: { ...message, status, ...(final ? { completedAt: now } : {}), ...(smtp ? { lastResponse: smtp } : {}) },
    });
    if (final && DEAD_LETTER_STATUSES.includes(status)) {
      await tx.deadLetter.upsert({
        where: { messageId },
        create: { messageId, projectId, reason: deadLetterReason(data, status), lastResponse: smtp },
        update: {},
      });
    }
    // The API wrote the first event (sequence 0) itself; it reaches the webhooks with the workflow's first one.
    const first = seq === 1 ? await tx.event.findFirst({ where: { messageId, seq: 0 } }) : null;
    return { row, event, first };
  });
  // A retried activity finds the event stored by its first attempt, with that attempt's time.
  const created = stored.event.createdAt.getTime() === now.getTime();
  if (created) countRecordedEvent({ type, status, final, at: now, message: stored.row });
  logger.info({ message_id: messageId, project_id: projectId, event: `message.${type}`, status }, 'message event');

  const { first, event, row } = stored;
  const events = [...(first ? [sourceEventOf(first, first.type)] : []), sourceEventOf(event, status)];
  const { recipient, metadata, tags } = row;
  await fanOutEvents(deps, events, { recipient, metadata, tags });
}

export function recordActivities(deps: ActivityDeps) {
  return {
    async recordEvent(input: RecordEventInput): Promise<void> {
      await storeEvent(deps, input);
    },
  };
}
