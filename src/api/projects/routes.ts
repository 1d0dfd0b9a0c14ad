// /v1/projects: an admin key creates a project and receives its first key (shown once).
import Router from '@koa/router';
import { z } from 'zod';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { randomId } from '../../ids';
import { parseMailbox } from '../../mail/address';
import { ensureKey, generateSecret, SCOPES } from '../../services/api-keys';
import { seedStarterTemplates } from '../../services/templates';
import { requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { bearer, commonErrors, errorResponse, json } from '../openapi-helpers';
import { fieldErrors } from '../schemas';

export const createProjectSchema = z
  .object({
    name: z.string().min(1).max(200),
    default_from: z.string().min(1).max(512).optional(),
    environment: z.enum(['live', 'test']).default('live'),
  })
  .strict();

export function projectRoutes({ prisma }: ApiDeps): Router {
  const router = new Router();

  router.post('/v1/projects', requireScope('admin'), async (ctx) => {
    const parsed = createProjectSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { name, default_from: defaultFrom, environment } = parsed.data;
    if (defaultFrom !== undefined) {
      const m = parseMailbox(defaultFrom);
      if (!m.ok) throw validationError([{ field: 'default_from', code: m.code, message: m.message }]);
    }
    const id = randomId('proj');
    const secret = generateSecret(environment);
    try {
      await prisma.project.create({ data: { id, name, defaultFrom } });
      await seedStarterTemplates(prisma, id);
      await ensureKey(prisma, { projectId: id, secret, label: 'first key', scopes: SCOPES.filter((s) => s !== 'admin') });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new DependencyUnavailable('database', err);
    }
    ctx.status = 201;
    ctx.body = { id, name, default_from: defaultFrom ?? null, api_key: secret };
  });

  return router;
}

export const projectsOpenApi: Record<string, object> = {
  '/v1/projects': {
    post: {
      summary: 'Create a project (admin scope); answers its first API key, shown once',
      security: bearer,
      requestBody: { required: true, content: json(createProjectSchema) },
      responses: { '201': { description: 'Created' }, '422': errorResponse('Validation failed'), ...commonErrors },
    },
  },
};
