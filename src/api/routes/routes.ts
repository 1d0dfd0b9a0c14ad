// /v1/routes: the project's routing policy, read and replaced as a whole. Passwords are write-only.
import Router from '@koa/router';
import { DependencyUnavailable, validationError } from '../../errors';
import { routesSchema, type RoutePolicy } from '../../routing/rules';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { bearer, commonErrors, errorResponse, json } from '../openapi-helpers';
import { fieldErrors } from '../schemas';

function redacted(policy: RoutePolicy) {
  return {
    rules: policy.rules.map((rule) =>
      rule.transport.type === 'smtp' && rule.transport.password !== undefined
        ? { ...rule, transport: { ...rule.transport, password: '[set]' } }
        : rule,
    ),
  };
}

export function routingRoutes({ prisma, config }: ApiDeps): Router {
  const router = new Router();
  const defaultRoute = config.SMTP_URL ? 'relay' : 'sandbox';
  const db = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });

  router.get('/v1/routes', requireScope('routes'), async (ctx) => {
    const project = await db(prisma.project.findUnique({ where: { id: currentKey(ctx).projectId } }));
    const parsed = project?.routes ? routesSchema.safeParse(project.routes) : undefined;
    ctx.body = {
      ...redacted(parsed?.success ? parsed.data : { rules: [] }),
      default_route: defaultRoute,
      updated_at: project?.routesUpdatedAt?.toISOString() ?? null,
    };
  });

  router.put('/v1/routes', requireScope('routes'), async (ctx) => {
    const parsed = routesSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const projectId = currentKey(ctx).projectId;
    const previous = await db(prisma.project.findUnique({ where: { id: projectId }, select: { routes: true } }));
    const policy = keepPasswords(parsed.data, previous?.routes);
    const updated = await db(
      prisma.project.update({ where: { id: projectId }, data: { routes: policy as object, routesUpdatedAt: new Date() } }),
    );
    ctx.body = { ...redacted(policy), default_route: defaultRoute, updated_at: updated.routesUpdatedAt?.toISOString() ?? null };
  });

  return router;
}

/** A rule sent back with the `[set]` placeholder keeps the password it had. */
function keepPasswords(next: RoutePolicy, stored: unknown): RoutePolicy {
  const old = routesSchema.safeParse(stored);
  const oldRules = old.success ? old.data.rules : [];
  return {
    rules: next.rules.map((rule) => {
      if (rule.transport.type !== 'smtp' || rule.transport.password !== '[set]') return rule;
      const before = oldRules.find((r) => r.name === rule.name)?.transport;
      const password = before?.type === 'smtp' ? before.password : undefined;
      return { ...rule, transport: { ...rule.transport, password } };
    }),
  };
}

export const routingOpenApi: Record<string, object> = {
  '/v1/routes': {
    get: {
      summary: 'The routing policy: ordered rules from recipient domain to transport, pacing and concurrency',
      security: bearer,
      responses: { '200': { description: 'The policy (passwords shown as [set])' }, ...commonErrors },
    },
    put: {
      summary: 'Replace the routing policy, validated as a whole',
      security: bearer,
      requestBody: { required: true, content: json(routesSchema) },
      responses: { '200': { description: 'Stored' }, '422': errorResponse('Invalid policy'), ...commonErrors },
    },
  },
};
