// Feeds an inbound outcome into the message's timeline after its workflow has finished: a hard bounce or a
// complaint suppresses the recipient and changes the status, and every event reaches the webhooks through
// recordExternalEvent. A report that arrives twice (a sender retrying after a lost reply) leaves one event.
import type { Message } from '../../generated/prisma/client';
import { addSuppression } from '../api/suppressions/store';
import { DependencyUnavailable } from '../errors';
import { recordExternalEvent, type ExternalEventDeps } from '../services/external-events';
import { fanOutStoredEvent } from '../webhooks/stored-event';
import { FINAL_STATUSES, type MessageStatus } from '../workflows/definitions';
import type { InboundOutcome } from './outcome';

/** Thrown for a message whose workflow is still running: the sender is asked to retry (451) rather than racing it. */
export class MessageStillInProgress extends Error {
  constructor(readonly messageId: string) {
    super(`message ${messageId} is still in progress`);
    this.name = 'MessageStillInProgress';
  }
}

export type ApplyResult =
  | { applied: true; event: string; newlySuppressed: boolean }
  | { applied: false; reason: string };

const NEVER_SENT: readonly string[] = ['suppressed', 'cancelled'];
const LATE_BOUNCE_REASON = 'late_bounce';
/** The event each outcome records, and the status it gives the message (a delay changes none). */
const EVENT_OF: Record<'bounce' | 'complaint' | 'delay', { type: string; status?: MessageStatus }> = {
  bounce: { type: 'bounced', status: 'bounced' },
  complaint: { type: 'complained', status: 'complained' },
  delay: { type: 'deferred' },
};

export async function applyOutcome(
  deps: ExternalEventDeps,
  messageId: string,
  outcome: Exclude<InboundOutcome, { kind: 'none' }>,
): Promise<ApplyResult> {
  const db = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });
  const message = await db(deps.prisma.message.findUnique({ where: { id: messageId } }));
  if (!message) return { applied: false, reason: 'no such message' };
  if (NEVER_SENT.includes(message.status)) {
    return { applied: false, reason: `message was never sent (${message.status})` };
  }
  if (!FINAL_STATUSES.includes(message.status as MessageStatus)) throw new MessageStillInProgress(messageId);

  const { type, status } = EVENT_OF[outcome.kind];
  const suppress = outcome.kind === 'complaint' || (outcome.kind === 'bounce' && outcome.hard);
  const newlySuppressed = suppress ? await db(suppressRecipient(deps, message, outcome.kind === 'complaint')) : false;

  // A delay can be reported more than once for good reason; a bounce or complaint happens once.
  const seen = outcome.kind === 'delay'
    ? null
    : await db(deps.prisma.event.findFirst({ where: { messageId, type }, select: { id: true } }));
  if (seen) {
    await db(fanOutStoredEvent(deps, seen.id));
    return { applied: true, event: type, newlySuppressed };
  }
  const data = { ...outcome.data, ...(suppress ? { newly_suppressed: newlySuppressed } : {}) };
  const event = { messageId, projectId: message.projectId, type, data, ...(status ? { status } : {}) };
  await db(recordExternalEvent(deps, event));
  if (outcome.kind === 'bounce') await db(keepDeadLetter(deps, message, outcome.data));
  return { applied: true, event: type, newlySuppressed };
}

/** The recipient under the key it was accepted with, as the workflow's own hard-bounce suppression does. */
async function suppressRecipient(deps: ExternalEventDeps, message: Message, complaint: boolean): Promise<boolean> {
  const { created } = await addSuppression(deps.prisma, {
    projectId: message.projectId,
    address: message.recipientKey,
    reason: complaint ? 'complaint' : 'hard_bounce',
    source: complaint ? 'complaint' : 'bounce',
    messageId: message.id,
  });
  return created;
}

async function keepDeadLetter(deps: ExternalEventDeps, message: Message, data: Record<string, unknown>): Promise<void> {
  await deps.prisma.deadLetter.upsert({
    where: { messageId: message.id },
    create: {
      messageId: message.id,
      projectId: message.projectId,
      reason: LATE_BOUNCE_REASON,
      lastResponse: (data.smtp ?? {}) as object,
    },
    update: {},
  });
}
