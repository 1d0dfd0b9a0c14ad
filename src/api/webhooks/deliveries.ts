// /v1/webhooks/{id}/deliveries: every event sent to an endpoint, its attempts, and replaying one.
import type Router from '@koa/router';
import type { WebhookEndpoint } from '../../../generated/prisma/client';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { MAX_REPLAYS_PER_DELIVERY, replayDelivery } from '../../webhooks/replay';
import { currentKey, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../schemas';
import { afterCursor, db, NEWEST_FIRST, pageOf, readCursor } from './paging';
import { listDeliveriesQuerySchema } from './schemas';
import { attemptView, deliveryView } from './view';

type FindEndpoint = (id: string, projectId: string) => Promise<WebhookEndpoint>;

/** Adds the delivery routes to the webhooks router; `findOwn` answers 404 for another project's endpoint. */
export function deliveryRoutes(router: Router, deps: ApiDeps, findOwn: FindEndpoint): void {
  const { prisma } = deps;
  const scope = requireScope('webhooks');

  router.get('/v1/webhooks/:id/deliveries', scope, async (ctx) => {
    const parsed = listDeliveriesQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { limit, status } = parsed.data;
    const cursor = readCursor(parsed.data.cursor);
    const endpoint = await findOwn(ctx.params.id as string, currentKey(ctx).projectId);
    const rows = await db(prisma.webhookDelivery.findMany({
      where: { endpointId: endpoint.id, ...(status ? { status } : {}), ...afterCursor(cursor) },
      orderBy: NEWEST_FIRST,
      take: limit + 1,
    }));
    ctx.body = pageOf(rows, limit, deliveryView);
  });

  router.get('/v1/webhooks/:id/deliveries/:deliveryId', scope, async (ctx) => {
    const endpoint = await findOwn(ctx.params.id as string, currentKey(ctx).projectId);
    const delivery = await db(prisma.webhookDelivery.findFirst({
      where: { id: ctx.params.deliveryId as string, endpointId: endpoint.id },
      include: { attemptsLog: { orderBy: { attempt: 'asc' } } },
    }));
    if (!delivery) throw new ApiError('not_found', `no delivery ${ctx.params.deliveryId as string}`);
    ctx.body = {
      ...deliveryView(delivery),
      payload: delivery.payload,
      attempt_log: delivery.attemptsLog.map(attemptView),
    };
  });

  router.post('/v1/webhooks/:id/deliveries/:deliveryId/replay', scope, async (ctx) => {
    const endpoint = await findOwn(ctx.params.id as string, currentKey(ctx).projectId);
    const delivery = await db(prisma.webhookDelivery.findFirst({
      where: { id: ctx.params.deliveryId as string, endpointId: endpoint.id },
    }));
    if (!delivery) throw new ApiError('not_found', `no delivery ${ctx.params.deliveryId as string}`);
    if (!endpoint.enabled) {
      throw new ApiError(
        'webhook_endpoint_disabled',
        'the endpoint is disabled; re-enable it with PATCH {"enabled": true} first',
      );
    }
    // Marked first: the replay may finish (and mark it delivered) before the start call even returns.
    await db(prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'pending' } }));
    const workflowId = await replayDelivery(deps, delivery).catch((err: unknown) => {
      throw new DependencyUnavailable('temporal', err);
    });
    if (!workflowId) {
      const message = `a delivery can be replayed at most ${MAX_REPLAYS_PER_DELIVERY} times`;
      throw new ApiError('replay_limit_reached', message);
    }
    ctx.status = 202;
    ctx.body = { delivery_id: delivery.id, status: 'pending', workflow_id: workflowId };
  });
}
