// /v1/webhooks: endpoints that receive a project's events, signed with a secret made here and shown once.
import Router from '@koa/router';
import type { WebhookEndpoint } from '../../../generated/prisma/client';
import { ApiError, validationError } from '../../errors';
import { randomId } from '../../ids';
import { generateWebhookSecret } from '../../webhooks/signature';
import { checkWebhookUrl } from '../../webhooks/url-policy';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../schemas';
import { deliveryRoutes } from './deliveries';
import { afterCursor, db, NEWEST_FIRST, pageOf, readCursor } from './paging';
import { createWebhookSchema, listWebhooksQuerySchema, updateWebhookSchema } from './schemas';
import { endpointView } from './view';

const DISABLED_BY_REQUEST = 'disabled through the API';

export function webhookRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const { prisma, config } = deps;
  const scope = requireScope('webhooks');

  router.post('/v1/webhooks', scope, async (ctx) => {
    const parsed = createWebhookSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { event_types: eventTypes = [], enabled = true } = parsed.data;
    const url = vetUrl(parsed.data.url);
    const secret = generateWebhookSecret();
    const endpoint = await db(prisma.webhookEndpoint.create({
      data: {
        id: randomId('wh'),
        projectId: currentKey(ctx).projectId,
        url,
        eventTypes: [...new Set(eventTypes)],
        secret,
        enabled,
        ...(enabled ? {} : { disabledAt: new Date(), disabledReason: DISABLED_BY_REQUEST }),
      },
    }));
    ctx.status = 201;
    ctx.body = { ...endpointView(endpoint), secret };
  });

  router.get('/v1/webhooks', scope, async (ctx) => {
    const parsed = listWebhooksQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { limit } = parsed.data;
    const cursor = readCursor(parsed.data.cursor);
    const rows = await db(prisma.webhookEndpoint.findMany({
      where: { projectId: currentKey(ctx).projectId, ...afterCursor(cursor) },
      orderBy: NEWEST_FIRST,
      take: limit + 1,
    }));
    ctx.body = pageOf(rows, limit, endpointView);
  });

  router.get('/v1/webhooks/:id', scope, async (ctx) => {
    ctx.body = endpointView(await findOwn(ctx.params.id as string, currentKey(ctx).projectId));
  });

  router.patch('/v1/webhooks/:id', scope, async (ctx) => {
    const parsed = updateWebhookSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const existing = await findOwn(ctx.params.id as string, currentKey(ctx).projectId);
    const { url, event_types: eventTypes, enabled } = parsed.data;
    // Re-enabling starts the endpoint's health afresh; disabling records who did it.
    const reenable = enabled === true && !existing.enabled;
    const disable = enabled === false && existing.enabled;
    const updated = await db(prisma.webhookEndpoint.update({
      where: { id: existing.id },
      data: {
        ...(url !== undefined ? { url: vetUrl(url) } : {}),
        ...(eventTypes !== undefined ? { eventTypes: [...new Set(eventTypes)] } : {}),
        ...(reenable ? { enabled, disabledAt: null, disabledReason: null, failingSince: null } : {}),
        ...(disable ? { enabled, disabledAt: new Date(), disabledReason: DISABLED_BY_REQUEST } : {}),
      },
    }));
    ctx.body = endpointView(updated);
  });

  router.delete('/v1/webhooks/:id', scope, async (ctx) => {
    const existing = await findOwn(ctx.params.id as string, currentKey(ctx).projectId);
    await db(prisma.webhookEndpoint.delete({ where: { id: existing.id } }));
    ctx.status = 204;
  });

  deliveryRoutes(router, deps, findOwn);
  return router;

  function vetUrl(raw: string): string {
    const checked = checkWebhookUrl(raw, config.SENDARIX_WEBHOOK_ALLOW_PRIVATE);
    if (checked.ok) return checked.url;
    const fieldError = { field: 'url', code: checked.code, message: checked.message };
    if (checked.forbiddenAddress) throw new ApiError('webhook_url_forbidden', checked.message, [fieldError]);
    throw validationError([fieldError]);
  }

  async function findOwn(id: string, projectId: string): Promise<WebhookEndpoint> {
    const endpoint = await db(prisma.webhookEndpoint.findFirst({ where: { id, projectId } }));
    // Another project's endpoint answers exactly as a missing one does.
    if (!endpoint) throw new ApiError('not_found', `no webhook endpoint ${id}`);
    return endpoint;
  }
}
