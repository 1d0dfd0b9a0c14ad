// After an event is written: one delivery row and one webhook workflow for each enabled endpoint of the project
// that wants the event's type. Nothing here talks to an endpoint, so a slow or dead one cannot hold up the
// message; everything is idempotent, so a retried caller fans out again harmlessly.
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { sha256Hex } from '../ids';
import type { Logger } from '../logger';
import { webhookWorkflowId } from '../workflows/definitions';
import { wantsEvent } from './event-types';
import { buildWebhookPayload, type WebhookSourceEvent } from './payload';
import { startWebhookWorkflow } from './start';

export interface FanOutDeps {
  prisma: Db;
  temporal: Client;
  logger: Logger;
  config: Pick<Config, 'SENDARIX_WEBHOOK_TASK_QUEUE' | 'SENDARIX_WEBHOOK_RETRY_SCHEDULE'>;
}

/** The delivery id of an (endpoint, event) pair; it is also the `webhook-id` header, stable across retries. */
export function webhookDeliveryId(endpointId: string, eventId: string): string {
  return `whd_${sha256Hex(`${endpointId}\n${eventId}`).slice(0, 32)}`;
}

/** The message fields a payload carries; `status` stands in for an event that does not say its own. */
export type PayloadMessage = Omit<Parameters<typeof buildWebhookPayload>[1], 'status'> & { status?: string };

/** Fans one event out to the project's endpoints; answers how many endpoints take it. */
export async function fanOutEvent(deps: FanOutDeps, event: WebhookSourceEvent): Promise<number> {
  return fanOutEvents(deps, [event]);
}

/**
 * Fans out events of one message, in order, reading the project's endpoints once; `message` saves reading the message
 * row when the caller has it. Answers how many (endpoint, event) deliveries there are.
 */
export async function fanOutEvents(
  deps: FanOutDeps,
  events: readonly WebhookSourceEvent[],
  message?: PayloadMessage,
): Promise<number> {
  const { prisma, temporal, logger, config } = deps;
  const [head] = events;
  if (!head) return 0;
  const all = await prisma.webhookEndpoint.findMany({
    where: { projectId: head.projectId, enabled: true },
    select: { id: true, eventTypes: true },
  });
  if (all.length === 0) return 0;
  const fields =
    message ??
    (await prisma.message.findUnique({
      where: { id: head.messageId },
      select: { recipient: true, status: true, metadata: true, tags: true },
    }));
  if (!fields) return 0;

  let deliveries = 0;
  for (const event of events) {
    const type = `message.${event.type}`;
    const endpoints = all.filter((endpoint) => wantsEvent(endpoint.eventTypes, type));
    if (endpoints.length === 0) continue;
    const payload = buildWebhookPayload(event, { ...fields, status: event.status ?? fields.status ?? '' });
    await prisma.webhookDelivery.createMany({
      data: endpoints.map((endpoint) => ({
        id: webhookDeliveryId(endpoint.id, event.id),
        endpointId: endpoint.id,
        projectId: event.projectId,
        eventId: event.id,
        messageId: event.messageId,
        type,
        sequence: event.seq,
        payload: payload as object,
      })),
      skipDuplicates: true,
    });
    await Promise.all(
      endpoints.map((endpoint) =>
        startWebhookWorkflow(temporal, config.SENDARIX_WEBHOOK_TASK_QUEUE, webhookWorkflowId(endpoint.id, event.id), {
          deliveryId: webhookDeliveryId(endpoint.id, event.id),
          endpointId: endpoint.id,
          retryScheduleMs: config.SENDARIX_WEBHOOK_RETRY_SCHEDULE,
        }),
      ),
    );
    deliveries += endpoints.length;
    logger.debug(
      { message_id: event.messageId, project_id: event.projectId, event: type, endpoints: endpoints.length },
      'webhooks fanned out',
    );
  }
  return deliveries;
}
