// GET /v1/analytics: counts per status and event type, rates and delivery latency over a range, by bucket.
import Router from '@koa/router';
import { DependencyUnavailable, validationError } from '../../errors';
import { currentKey, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../schemas';
import { analyticsRows } from './queries';
import { buildReport } from './report';
import { analyticsQuerySchema, analyticsRange } from './schemas';

export function analyticsRoutes({ prisma }: ApiDeps): Router {
  const router = new Router();

  router.get('/v1/analytics', requireScope('read'), async (ctx) => {
    const parsed = analyticsQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const checked = analyticsRange(parsed.data);
    if (!checked.ok) throw validationError(checked.errors);
    const rows = await analyticsRows(prisma, currentKey(ctx).projectId, checked.range).catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });
    ctx.body = buildReport(checked.range, rows.messages, rows.events);
  });

  return router;
}
