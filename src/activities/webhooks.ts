// One webhook POST: sign it, send it, record the attempt and the endpoint's health. HTTP outcomes are results
// (the workflow retries them on its own schedule); only database trouble throws, so Temporal retries that.
import { randomId } from '../ids';
import { recordEndpointHealth } from '../webhooks/endpoint-health';
import { postWebhookRequest } from '../webhooks/http-post';
import type { WebhookPayload } from '../webhooks/payload';
import { webhookHeaders } from '../webhooks/signature';
import type { ActivityDeps } from './deps';

/** Whole-request limit of one POST: DNS, connect, TLS, request and answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const USER_AGENT = 'Sendarix-Webhooks/1.0';

export interface PostWebhookInput {
  deliveryId: string;
  /** True on the last attempt of the schedule: a failure then ends the delivery as `failed`. */
  final: boolean;
  replay?: boolean;
}

export interface PostWebhookResult {
  outcome: 'delivered' | 'failed' | 'endpoint_disabled' | 'gone';
  attempt?: number;
  statusCode?: number;
  error?: string;
}

export type WebhookActivityDeps = Pick<ActivityDeps, 'prisma' | 'logger' | 'config'>;

export function webhookActivities({ prisma, logger, config }: WebhookActivityDeps) {
  return {
    async postWebhook({ deliveryId, final, replay }: PostWebhookInput): Promise<PostWebhookResult> {
      const delivery = await prisma.webhookDelivery.findUnique({
        where: { id: deliveryId },
        include: { endpoint: true },
      });
      // The endpoint was deleted, and its deliveries with it.
      if (!delivery) return { outcome: 'gone' };
      const { endpoint } = delivery;
      const ids = {
        delivery_id: deliveryId,
        endpoint_id: endpoint.id,
        project_id: endpoint.projectId,
        event_id: delivery.eventId,
      };
      if (!endpoint.enabled) {
        await prisma.webhookDelivery.update({
          where: { id: deliveryId },
          data: { status: 'skipped', lastError: 'endpoint disabled' },
        });
        logger.info(ids, 'webhook skipped: endpoint disabled');
        return { outcome: 'endpoint_disabled' };
      }
      // A replay got through while this run was waiting to retry: the receiver has the event.
      if (!replay && delivery.status === 'delivered') return { outcome: 'delivered' };

      const { attempts: attempt } = await prisma.webhookDelivery.update({
        where: { id: deliveryId },
        data: { attempts: { increment: 1 } },
        select: { attempts: true },
      });
      const body = serialise(delivery.payload as unknown as WebhookPayload);
      const timestampS = Math.floor(Date.now() / 1000);
      const result = await postWebhookRequest({
        url: endpoint.url,
        body,
        headers: { ...webhookHeaders(endpoint.secret, deliveryId, timestampS, body), 'user-agent': USER_AGENT },
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        allowPrivate: config.SENDARIX_WEBHOOK_ALLOW_PRIVATE,
      });

      const { statusCode, error, durationMs } = result;
      const at = new Date();
      const disabled = await recordEndpointHealth(
        { prisma, logger, disableAfterMs: config.SENDARIX_WEBHOOK_DISABLE_AFTER },
        endpoint,
        { ok: result.ok, error, at },
      );
      await prisma.$transaction(async (tx) => {
        await tx.webhookAttempt.create({
          data: { id: randomId('wha'), deliveryId, attempt, statusCode, error, durationMs, createdAt: at },
        });
        await tx.webhookDelivery.update({
          where: { id: deliveryId },
          data: {
            status: result.ok ? 'delivered' : final || disabled ? 'failed' : 'retrying',
            lastStatusCode: statusCode ?? null,
            lastError: error ?? null,
            lastAttemptAt: at,
            ...(result.ok ? { deliveredAt: at } : {}),
          },
        });
      });
      logger.info(
        { ...ids, attempt, ok: result.ok, status_code: statusCode, error, duration_ms: durationMs },
        'webhook attempt',
      );
      if (result.ok) return { outcome: 'delivered', attempt, statusCode };
      return { outcome: disabled ? 'endpoint_disabled' : 'failed', attempt, statusCode, error };
    },
  };
}

export type WebhookActivities = ReturnType<typeof webhookActivities>;

// The stored JSON column does not keep key order; the envelope's keys go out in their documented order.
function serialise(p: WebhookPayload): string {
  return JSON.stringify({ id: p.id, type: p.type, created_at: p.created_at, sequence: p.sequence, data: p.data });
}
