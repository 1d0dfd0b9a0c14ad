// Retrying a dead letter: the message goes through its pipeline again in a new workflow run,
// `message-<id>-retry-<n>`. The database is changed first, in one transaction (the dead letter goes, a
// `message.queued` event with `{retry: n}` follows the last one, the message is queued again under the new
// workflow id); if Temporal then does not take the workflow, that change is undone and the caller gets a 503.
import type { DeadLetter, Event, Message } from '../../../generated/prisma/client';
import { ApiError, DependencyUnavailable } from '../../errors';
import { parseMailbox } from '../../mail/address';
import { startWorkflow, workflowInput, type WorkflowStartFields } from '../../services/accept-message';
import { fanOutEvent } from '../../webhooks/fan-out';
import { messageWorkflowId } from '../../workflows/definitions';
import { findSuppressions, ignoresSubaddress } from '../suppressions/store';
import type { ApiDeps } from '../deps';

const RETRY_SUFFIX = /-retry-(\d+)$/;

export interface RetryResult {
  messageId: string;
  retry: number;
  workflowId: string;
}

export async function retryDeadLetter(deps: ApiDeps, projectId: string, messageId: string): Promise<RetryResult> {
  const { prisma, logger } = deps;
  const dead = await db(prisma.deadLetter.findFirst({ where: { messageId, projectId }, include: { message: true } }));
  // Another project's dead letter answers exactly as a missing one does.
  if (!dead) throw new ApiError('not_found', `no dead letter for message ${messageId}`);
  const message = dead.message;
  if (await db(isSuppressed(deps, message))) {
    throw new ApiError(
      'recipient_suppressed',
      `${message.recipient} is on the suppression list; remove it (DELETE /v1/suppressions/{recipient}) to retry`,
    );
  }

  const retry = Number(RETRY_SUFFIX.exec(message.workflowId)?.[1] ?? 0) + 1;
  const workflowId = `${messageWorkflowId(message.id)}-retry-${retry}`;
  const event = await db(requeue(deps, dead, workflowId, retry));
  // The workflow's first event takes the number after the queued one; recordEvent would silently keep an
  // existing event of the same number.
  const input = { ...workflowInput(deps.config, message.id, projectId, {}), nextEventSeq: event.seq + 1 };
  const fields = {
    priority: message.priority as WorkflowStartFields['priority'],
    recipient: { asciiDomain: message.recipientDomain },
  };
  try {
    await startWorkflow(deps, input, fields, { template: message.template ?? undefined }, workflowId);
  } catch (err) {
    await restore(deps, dead, message, event).catch((restoreErr: unknown) => {
      logger.error({ message_id: message.id, project_id: projectId, err: restoreErr }, 'could not restore dead letter');
    });
    throw err;
  }
  logger.info({ message_id: message.id, project_id: projectId, retry, workflow_id: workflowId }, 'dead letter retried');
  // Webhooks hear of the retry; the retry itself has happened whatever the fan-out does.
  const queued = { ...event, data: event.data as Record<string, unknown>, status: 'queued' };
  await fanOutEvent(deps, queued).catch((err: unknown) => {
    logger.warn({ message_id: message.id, project_id: projectId, err }, 'could not fan out the retry event');
  });
  return { messageId: message.id, retry, workflowId };
}

/** Whether the recipient is suppressed now, checked as the workflow's suppression step checks it. */
async function isSuppressed({ prisma }: ApiDeps, message: Message): Promise<boolean> {
  const parsed = parseMailbox(message.recipient);
  const { projectId, recipientKey } = message;
  if (!parsed.ok) return (await prisma.suppression.count({ where: { projectId, address: recipientKey } })) > 0;
  const ignore = await ignoresSubaddress(prisma, projectId);
  return (await findSuppressions(prisma, projectId, parsed.mailbox, ignore, [recipientKey])).length > 0;
}

function requeue({ prisma }: ApiDeps, dead: DeadLetter, workflowId: string, retry: number): Promise<Event> {
  const { messageId, projectId } = dead;
  return prisma.$transaction(async (tx) => {
    // Of two concurrent retries, the one that removes the row goes on; the other finds nothing to retry.
    const removed = await tx.deadLetter.deleteMany({ where: { messageId, projectId } });
    if (removed.count === 0) throw new ApiError('not_found', `no dead letter for message ${messageId}`);
    const last = await tx.event.findFirst({ where: { messageId }, orderBy: { seq: 'desc' }, select: { seq: true } });
    const seq = (last?.seq ?? -1) + 1;
    const event = await tx.event.create({
      data: { id: `evt_${messageId.slice(4)}_${seq}`, messageId, projectId, seq, type: 'queued', data: { retry } },
    });
    await tx.message.update({
      where: { id: messageId },
      data: { workflowId, status: 'queued', smtpAcceptedAt: null, smtpMessageId: null, completedAt: null },
    });
    return event;
  });
}

function restore({ prisma }: ApiDeps, dead: DeadLetter, message: Message, event: Event): Promise<void> {
  return prisma.$transaction(async (tx) => {
    await tx.event.delete({ where: { id: event.id } });
    await tx.message.update({
      where: { id: message.id },
      data: {
        workflowId: message.workflowId,
        status: message.status,
        smtpAcceptedAt: message.smtpAcceptedAt,
        smtpMessageId: message.smtpMessageId,
        completedAt: message.completedAt,
      },
    });
    const { messageId, projectId, reason, createdAt } = dead;
    const lastResponse = dead.lastResponse ?? undefined;
    await tx.deadLetter.create({ data: { messageId, projectId, reason, createdAt, lastResponse } });
  });
}

/** Database failures become a 503; the API errors raised inside a transaction pass through as they are. */
function db<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw err instanceof ApiError ? err : new DependencyUnavailable('database', err);
  });
}
