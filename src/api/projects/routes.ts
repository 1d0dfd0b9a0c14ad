// /v1/projects: an admin key creates a project and receives its first key (shown once).
import Router from '@koa/router';
import { z } from 'zod';
import type { Project } from '../../../generated/prisma/client';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { randomId } from '../../ids';
import { parseMailbox } from '../../mail/address';
import { ensureKey, generateSecret, SCOPES } from '../../services/api-keys';
import { seedStarterTemplates } from '../../services/templates';
import { currentKey, requireScope } from '../auth';
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

/** Settings a project's own key may change. */
export const updateProjectSchema = z
  .object({
    suppression_ignores_subaddress: z.boolean().optional()
      .describe('When true, a+tag@x and a@x are one address for suppression (suppressions or admin scope)'),
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

  // Any valid key may read its own project, whatever its scopes.
  router.get('/v1/projects/current', async (ctx) => {
    const id = currentKey(ctx).projectId;
    const project = await prisma.project.findUnique({ where: { id } }).catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });
    if (!project) throw new ApiError('not_found', `no project ${id}`);
    ctx.body = projectView(project);
  });

  // requireScope lets admin keys through as well.
  router.patch('/v1/projects/current', requireScope('suppressions'), async (ctx) => {
    const parsed = updateProjectSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const id = currentKey(ctx).projectId;
    const ignores = parsed.data.suppression_ignores_subaddress;
    const project = await prisma.project
      .update({ where: { id }, data: ignores === undefined ? {} : { suppressionIgnoresSubaddress: ignores } })
      .catch((err: unknown) => {
        throw new DependencyUnavailable('database', err);
      });
    ctx.body = projectView(project);
  });

  return router;
}

function projectView(project: Project) {
  return {
    id: project.id,
    name: project.name,
    default_from: project.defaultFrom,
    suppression_ignores_subaddress: project.suppressionIgnoresSubaddress,
    created_at: project.createdAt.toISOString(),
  };
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
  '/v1/projects/current': {
    get: {
      summary: "The calling key's own project: id, name, default_from, created_at (any scope)",
      security: bearer,
      responses: { '200': { description: 'The project' }, ...commonErrors },
    },
    patch: {
      summary: "Change the calling key's project settings (suppressions or admin scope)",
      security: bearer,
      requestBody: { required: true, content: json(updateProjectSchema) },
      responses: { '200': { description: 'The project' }, '422': errorResponse('Invalid setting'), ...commonErrors },
    },
  },
};
