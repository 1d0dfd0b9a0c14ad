// One workflow per (endpoint, event): post the event, and after a failure wait on a durable timer and post again,
// on the webhook schedule (hours, not seconds). It runs on its own task queue, so it never competes with message
// delivery, and each endpoint's deliveries are workflows of their own, so a dead endpoint holds up nobody else.
import { log, proxyActivities, sleep } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities';
import type { WebhookDeliveryOutcome, WebhookWorkflowInput } from './definitions';

const http = proxyActivities<WebhookActivities>({
  // Above the activity's own 10 s request limit, with room for the database writes around it.
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 30,
    // Endpoint answers come back as results; only database trouble throws, and that is worth retrying.
    nonRetryableErrorTypes: [],
  },
});

export async function webhookDeliveryWorkflow(input: WebhookWorkflowInput): Promise<WebhookDeliveryOutcome> {
  const { deliveryId, endpointId, retryScheduleMs } = input;
  const ids = { delivery_id: deliveryId, endpoint_id: endpointId };

  for (let attempt = 1; ; attempt++) {
    const final = attempt > retryScheduleMs.length;
    const result = await http.postWebhook({ deliveryId, final, replay: input.replay });

    if (result.outcome === 'delivered') return 'delivered';
    if (result.outcome === 'endpoint_disabled') return finish('skipped_endpoint_disabled');
    if (result.outcome === 'gone') return finish('skipped_delivery_gone');
    if (final) return finish('failed');

    await sleep(retryScheduleMs[attempt - 1] as number);
  }

  function finish(outcome: WebhookDeliveryOutcome): WebhookDeliveryOutcome {
    log.info('webhook delivery ended', { ...ids, outcome });
    return outcome;
  }
}
