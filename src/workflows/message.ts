// One workflow per message: wait for its time, check suppression, route, attempt delivery, retry on
// durable timers, and record every state change.
import {
  type ActivityOptions,
  condition,
  log,
  proxyActivities,
  proxyLocalActivities,
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

/**
 * Bookkeeping (database reads and writes) runs as local activities: inside the workflow task that needs it, so a
 * message costs the Temporal server one activity task (its SMTP attempt) instead of one per step. They are short and
 * idempotent (keyed on the event's sequence number), which is what local activities need: after a crash they run
 * again. Retries wait on a durable timer once they back off past a few seconds.
 */
const bookkeeping = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 60,
    nonRetryableErrorTypes: ['MessageNotFound', 'UnknownRoute'],
  },
});

/**
 * SMTP attempts are ordinary activities: they may run on a paced route's own task queue, and they heartbeat, so that
 * the attempt of a killed worker is retried within the heartbeat timeout. A retried attempt never sends again once
 * the server said 250 (see attemptDelivery).
 */
const SMTP_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '20 seconds',
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

  const setStatus = (status: MessageStatus) => {
    state.status = status;
    if (input.searchAttributes) upsertSearchAttributes([{ key: STATUS, value: status }]);
  };
  const done = (status: MessageStatus): MessageOutcome => {
    setStatus(status);
    log.info('message finished', { message_id: messageId, project_id: projectId, status });
    return { status, attempts: state.attempts, lastResponse: state.lastResponse };
  };
  const cancel = async (data: Record<string, unknown>) => {
    const event = { messageId, projectId, seq: seq++, type: 'cancelled', status: 'cancelled' as const, data };
    await bookkeeping.recordEvent({ ...event, final: true });
    return done('cancelled');
  };

  const waitMs = input.scheduledAt ? Date.parse(input.scheduledAt) - Date.now() : 0;
  if (waitMs > 0 && (await condition(() => cancelRequested, waitMs))) return cancel({ while: 'scheduled' });
  if (cancelRequested) return cancel({ while: state.status });

  const prepared = await bookkeeping.prepareDelivery({ messageId, projectId, seq: seq++ });
  if (prepared.suppressed) return done('suppressed');
  const { route } = prepared;
  // One upsert for both: each is an event in the history and an update of the visibility store.
  state.status = 'sending';
  if (input.searchAttributes) {
    upsertSearchAttributes([
      { key: ROUTE, value: route.name },
      { key: STATUS, value: state.status },
    ]);
  }

  const smtp = smtpOn(route.taskQueue);
  const maxAttempts = input.retryScheduleMs.length + 1;
  for (let attempt = 1; ; attempt++) {
    state.attempts = attempt;
    const retryInMs = attempt < maxAttempts ? input.retryScheduleMs[attempt - 1] : undefined;
    const attemptInput = { messageId, projectId, attempt, route: route.name, seq: seq++, retryInMs };
    const outcome = await smtp.attemptDelivery(attemptInput);
    state.lastResponse = outcome.result;
    if (outcome.status !== 'deferred' || retryInMs === undefined) return done(outcome.status);

    state.nextAttemptAt = outcome.nextAttemptAt;
    setStatus('deferred');
    if (await condition(() => cancelRequested, retryInMs)) return cancel({ while: 'deferred', attempts: attempt });
    state.nextAttemptAt = undefined;
    setStatus('sending');
  }
}
