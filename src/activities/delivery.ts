// One SMTP attempt and the state change it causes. SMTP answers are results, classified once and recorded here, in
// the same transaction as the message's new status; only infrastructure trouble (database down) throws, so that
// Temporal retries the activity itself. The activity heartbeats while it talks SMTP, so that a worker killed
// mid-send is noticed within the heartbeat timeout rather than the whole start-to-close timeout.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { dkimOptionsFor } from '../domains/signing';
import { composeMail } from '../mail/compose';
import type { MessageContent } from '../mail/content';
import type { MessageRouter } from '../routing/router';
import type { MessageStatus, SmtpResult } from '../workflows/definitions';
import type { ActivityDeps } from './deps';
import { storeEvent } from './record';
import { suppressBouncedRecipient } from './suppression';

/** How often a running attempt tells Temporal it is alive; well inside the workflow's heartbeat timeout. */
const HEARTBEAT_INTERVAL_MS = 5_000;

export interface AttemptInput {
  messageId: string;
  projectId: string;
  attempt: number;
  route: string;
  /** Sequence number of the event this attempt records. */
  seq: number;
  /** Wait before the next attempt if this one fails temporarily; absent when this is the last attempt. */
  retryInMs?: number;
}

export interface AttemptOutcome {
  result: SmtpResult;
  /** The message's status after the attempt: delivered, bounced, or deferred (retried after `retryInMs`). */
  status: MessageStatus;
  nextAttemptAt?: string;
}

export function deliveryActivities(deps: ActivityDeps, router: MessageRouter) {
  const { prisma, hostname, logger } = deps;
  return {
    async attemptDelivery(input: AttemptInput): Promise<AttemptOutcome> {
      const { messageId, projectId, attempt, route, seq, retryInMs } = input;
      const message = await prisma.message.findUnique({ where: { id: messageId } });
      if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
      const ids = { message_id: messageId, project_id: projectId, attempt, route };
      const event = { messageId, projectId, seq };

      // A server that said 250 before this worker (or this attempt's outcome write) died must not get it again.
      if (message.smtpAcceptedAt) {
        logger.warn(ids, 'already accepted by SMTP; not sending again');
        const result: SmtpResult = { ...(message.lastResponse as unknown as SmtpResult), kind: 'delivered' };
        const data = { attempt, smtp: result };
        await storeEvent(deps, { ...event, type: 'delivered', status: 'delivered', data, final: true });
        return { result, status: 'delivered' };
      }
      // The first attempt follows the `accepted` event, which already said `sending`.
      if (attempt > 1) {
        await prisma.message.update({ where: { id: messageId }, data: { status: 'sending', attempts: attempt } });
      }

      const content = message.content as unknown as MessageContent;
      const dkim = await dkimOptionsFor(prisma, message.projectId, content.from.address);
      const mail = composeMail(messageId, content, { hostname, createdAt: message.createdAt, dkim });
      const context = Context.current();
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
      const { result, smtpMessageId } = await router
        .send(projectId, route, message.recipientDomain, mail)
        .finally(() => clearInterval(heartbeat));
      const outcome = { outcome: result.kind, smtp_code: result.responseCode, reason: result.reason };
      logger.info({ ...ids, ...outcome }, 'smtp attempt');

      const counted = { attempts: attempt };
      if (result.kind === 'delivered') {
        // The 250 is written first and alone: until it is durable, a crash means sending again (SMTP cannot say
        // whether the peer kept the message), so this gap is kept as short as one UPDATE.
        const accepted = { smtpAcceptedAt: new Date(), smtpMessageId };
        await prisma.message.update({ where: { id: messageId }, data: accepted });
        const data = { attempt, smtp: result };
        await storeEvent(deps, { ...event, type: 'delivered', status: 'delivered', data, final: true }, counted);
        return { result, status: 'delivered' };
      }
      if (result.kind === 'permanent') {
        await suppressBouncedRecipient(prisma, message);
        logger.info({ ...ids, reason: 'hard_bounce' }, 'recipient suppressed');
        const data = { attempt, bounce_type: 'hard', smtp: result };
        await storeEvent(deps, { ...event, type: 'bounced', status: 'bounced', data, final: true }, counted);
        return { result, status: 'bounced' };
      }
      if (retryInMs === undefined) {
        const data = { attempt, bounce_type: 'soft', reason: 'retries_exhausted', smtp: result };
        await storeEvent(deps, { ...event, type: 'bounced', status: 'bounced', data, final: true }, counted);
        return { result, status: 'bounced' };
      }
      const nextAttemptAt = new Date(Date.now() + retryInMs).toISOString();
      const data = { attempt, retry_in_ms: retryInMs, next_attempt_at: nextAttemptAt, smtp: result };
      await storeEvent(deps, { ...event, type: 'deferred', status: 'deferred', data, final: false }, counted);
      return { result, status: 'deferred', nextAttemptAt };
    },
  };
}
