// One workflow per message: wait for its time, check suppression, route, attempt delivery, retry on
// durable timers, and record every state change.
import {
  type ActivityOptions,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  cancelSignal,
  stateQuery,
  type MessageState,
  type MessageStatus,
  type MessageWorkflowInput,
  type SmtpResult,
} from './definitions';
import { ROUTE, STATUS } from './search-attributes';

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 60,
    nonRetryableErrorTypes: ['MessageNotFound'],
  },
});

const SMTP_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '3 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['MessageNotFound', 'UnknownRoute'],
  },
};

/** SMTP attempts run on the route's own task queue when it is paced, so Temporal enforces its rate. */
const smtpOn = (taskQueue?: string) => proxyActivities<Activities>({ ...SMTP_ACTIVITY, taskQueue });

export interface MessageOutcome {
  status: MessageStatus;
  attempts: number;
  lastResponse?: SmtpResult;
}

export async function messageWorkflow(input: MessageWorkflowInput): Promise<MessageOutcome> {
  const { messageId, projectId } = input;
  const state: MessageState = { messageId, status: input.scheduledAt ? 'scheduled' : 'queued', attempts: 0 };
  let seq = input.nextEventSeq;
  let cancelRequested = false;
  setHandler(cancelSignal, () => {
    cancelRequested = true;
  });
  setHandler(stateQuery, () => state);

  const record = async (status: MessageStatus, type: string, data: Record<string, unknown> = {}, final = false) => {
    state.status = status;
    await bookkeeping.recordEvent({ messageId, projectId, seq: seq++, type, status, data, final });
    if (input.searchAttributes) upsertSearchAttributes([{ key: STATUS, value: status }]);
  };
  const finish = async (status: MessageStatus, type: string, data: Record<string, unknown> = {}) => {
    await record(status, type, data, true);
    log.info('message finished', { message_id: messageId, project_id: projectId, status });
    return { status, attempts: state.attempts, lastResponse: state.lastResponse };
  };

  const waitMs = input.scheduledAt ? Date.parse(input.scheduledAt) - Date.now() : 0;
  if (waitMs > 0 && (await condition(() => cancelRequested, waitMs))) {
    return finish('cancelled', 'cancelled', { while: 'scheduled' });
  }
  if (cancelRequested) return finish('cancelled', 'cancelled', { while: state.status });

  const suppression = await bookkeeping.checkSuppression({ messageId, projectId });
  if (suppression.suppressed) {
    return finish('suppressed', 'suppressed', { reason: suppression.reason });
  }

  const route = await bookkeeping.routeMessage({ messageId, projectId });
  if (input.searchAttributes) upsertSearchAttributes([{ key: ROUTE, value: route.name }]);
  await record('sending', 'accepted', { route: route.name });

  const smtp = smtpOn(route.taskQueue);
  const maxAttempts = input.retryScheduleMs.length + 1;
  for (let attempt = 1; ; attempt++) {
    state.attempts = attempt;
    const result = await smtp.attemptDelivery({ messageId, projectId, attempt, route: route.name });
    state.lastResponse = result;

    if (result.kind === 'delivered') return finish('delivered', 'delivered', { attempt, smtp: result });

    if (result.kind === 'permanent') {
      await bookkeeping.suppressRecipient({ messageId, projectId, reason: 'hard_bounce' });
      return finish('bounced', 'bounced', { attempt, bounce_type: 'hard', smtp: result });
    }

    const delayMs = input.retryScheduleMs[attempt - 1];
    if (delayMs === undefined || attempt >= maxAttempts) {
      return finish('bounced', 'bounced', { attempt, bounce_type: 'soft', reason: 'retries_exhausted', smtp: result });
    }
    state.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    await record('deferred', 'deferred', { attempt, retry_in_ms: delayMs, next_attempt_at: state.nextAttemptAt, smtp: result });

    if (await condition(() => cancelRequested, delayMs)) {
      return finish('cancelled', 'cancelled', { while: 'deferred', attempts: attempt });
    }
    state.nextAttemptAt = undefined;
    state.status = 'sending';
  }
}
