// Counters fed by the worker's activities: final statuses, delivery latency, deferrals and failed webhook POSTs.
import type { WebhookActivities } from '../activities/webhooks';
import type { MessageStatus } from '../workflows/definitions';
import { deferrals, deliveryLatency, messagesFinished, webhookFailures } from './registry';

export interface RecordedEvent {
  type: string;
  status: MessageStatus;
  final: boolean;
  /** When the event was stored. */
  at: Date;
  message: { createdAt: Date; scheduledAt: Date | null };
}

/** Called once per stored event (not again when a retried activity finds the event already there). */
export function countRecordedEvent({ type, status, final, at, message }: RecordedEvent): void {
  if (type === 'deferred') deferrals.inc();
  if (!final) return;
  messagesFinished.inc({ status });
  if (status === 'delivered') {
    // A scheduled message is not late while it waits for its time.
    const fromMs = Math.max(message.createdAt.getTime(), message.scheduledAt?.getTime() ?? 0);
    deliveryLatency.observe(Math.max(0, at.getTime() - fromMs) / 1000);
  }
}

/** Wraps the webhook activities so that every failed POST attempt is counted, whatever the workflow does next. */
export function countingWebhookFailures(activities: WebhookActivities): WebhookActivities {
  return {
    ...activities,
    async postWebhook(input) {
      const result = await activities.postWebhook(input);
      // An attempt number means a POST went out; anything but delivered is then a failed attempt.
      if (result.attempt !== undefined && result.outcome !== 'delivered') webhookFailures.inc();
      return result;
    },
  };
}
