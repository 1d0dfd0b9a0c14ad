// The Koa application: metrics first (they see the final status), error handling, then rate limits, then routes.
import Router from '@koa/router';
import Koa from 'koa';
import { ApiError } from '../errors';
import { authenticate } from './auth';
import { dashboardRoutes } from './dashboard/routes';
import type { ApiDeps } from './deps';
import { errorMiddleware } from './error-middleware';
import { unsubscribeRoutes } from '../unsubscribe/routes';
import { checkHealth } from './health';
import { httpMetrics, metricsExposed, metricsText } from '../metrics/http';
import { registerQueueDepth } from '../metrics/queue-depth';
import { API_MODULES } from './modules';
import { openApiDocument } from './openapi';
import { rateLimit } from './rate-limit';

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa({ proxy: false });
  app.silent = true;
  app.use(httpMetrics());
  app.use(errorMiddleware(deps.logger));
  app.use(rateLimit(deps.config.SENDARIX_RATE_LIMIT_PER_MINUTE));

  const open = new Router();
  const document = openApiDocument(API_MODULES);
  const ready = async (ctx: Koa.Context) => {
    const health = await checkHealth(deps);
    ctx.status = health.ok ? 200 : 503;
    ctx.body = health.ok
      ? health
      : { error: { code: 'service_unavailable', message: 'a dependency does not answer' }, ...health };
  };
  // A person opening the server's address in a browser lands on the dashboard.
  open.get('/', (ctx) => ctx.redirect('/dashboard'));
  open.get('/health/ready', ready);
  open.get('/health', ready);
  // Liveness: the process answers at all; a dependency outage must not get it restarted.
  open.get('/health/live', (ctx) => {
    ctx.body = { ok: true };
  });
  if (metricsExposed(deps.config)) {
    registerQueueDepth(deps.prisma);
    open.get('/metrics', async (ctx) => {
      const { contentType, body } = await metricsText();
      ctx.type = contentType;
      ctx.body = body;
    });
  }
  open.get('/v1/openapi.json', (ctx) => {
    ctx.body = document;
  });
  app.use(open.routes());
  // The dashboard's files are public; the page itself signs in with an API key and calls /v1.
  app.use(dashboardRoutes().routes());
  // One-click unsubscribe: no API key, the signed token in the path is the credential.
  app.use(unsubscribeRoutes(deps).routes());

  const v1 = new Router();
  v1.use('/v1', authenticate(deps));
  for (const router of API_MODULES.map((m) => m.routes(deps))) {
    v1.use(router.routes());
    v1.use(router.allowedMethods({ throw: true, methodNotAllowed: () => new ApiError('method_not_allowed', 'method not allowed') }));
  }
  app.use(v1.routes());
  return app;
}
