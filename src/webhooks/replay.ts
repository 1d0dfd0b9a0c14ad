// Re-sending one delivery on request: a new workflow run, `webhook-<endpoint>-<event>-replay-<n>`, that posts
// once with the delivery's stored payload and id (so the same `webhook-id` header) and a fresh timestamp.
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { webhookWorkflowId } from '../workflows/definitions';
import { startWebhookWorkflow } from './start';

/** Replays a delivery may have: each takes the next free `-replay-<n>` id, found by trying them in turn. */
export const MAX_REPLAYS_PER_DELIVERY = 100;

export interface ReplayDeps {
  temporal: Client;
  config: Pick<Config, 'SENDARIX_WEBHOOK_TASK_QUEUE'>;
}

/** Starts the replay; answers its workflow id, or undefined when the delivery has used up its replays. */
export async function replayDelivery(
  { temporal, config }: ReplayDeps,
  delivery: { id: string; endpointId: string; eventId: string },
): Promise<string | undefined> {
  const base = webhookWorkflowId(delivery.endpointId, delivery.eventId);
  for (let n = 1; n <= MAX_REPLAYS_PER_DELIVERY; n++) {
    const workflowId = `${base}-replay-${n}`;
    const input = { deliveryId: delivery.id, endpointId: delivery.endpointId, retryScheduleMs: [], replay: true };
    if (await startWebhookWorkflow(temporal, config.SENDARIX_WEBHOOK_TASK_QUEUE, workflowId, input)) return workflowId;
  }
  return undefined;
}
