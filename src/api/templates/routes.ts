// /v1/templates: create, list, read, replace, delete and preview (render) a project's stored templates. Sources are
// checked when written; a preview renders exactly as a send would, and fails as a send would.
import Router from '@koa/router';
import type { Context } from 'koa';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { randomId } from '../../ids';
import { findTemplate } from '../../services/templates';
import { renderTemplate } from '../../templates/render';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../schemas';
import { createTemplateSchema, renderTemplateSchema, replaceTemplateSchema, type TemplateSources } from './schemas';
import { checkTemplateSources } from './validate';
import { templateSummary, templateView } from './view';

const UNIQUE_VIOLATION = 'P2002';
const RECORD_NOT_FOUND = 'P2025';

export function templateRoutes({ prisma, logger }: ApiDeps): Router {
  const router = new Router();
  const scope = requireScope('templates');
  const db = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });

  router.post('/v1/templates', scope, async (ctx) => {
    const parsed = createTemplateSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { name, category } = parsed.data;
    const { sources, variables } = checked(parsed.data);
    const projectId = currentKey(ctx).projectId;
    const data = { id: randomId('tpl'), projectId, name, category, ...sources, variables };
    const created = await prisma.template.create({ data }).catch((err: unknown) => {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        const message = `a template named "${name}" exists; PUT /v1/templates/${name} replaces it`;
        throw validationError([{ field: 'name', code: 'already_exists', message }]);
      }
      throw new DependencyUnavailable('database', err);
    });
    logger.info({ project_id: projectId, template: name }, 'template created');
    ctx.status = 201;
    ctx.body = templateView(created);
  });

  router.get('/v1/templates', scope, async (ctx) => {
    const where = { projectId: currentKey(ctx).projectId };
    const rows = await db(prisma.template.findMany({ where, orderBy: { name: 'asc' } }));
    ctx.body = { data: rows.map(templateSummary) };
  });

  router.get('/v1/templates/:name', scope, async (ctx) => {
    ctx.body = templateView(await findOwn(ctx));
  });

  // An unknown name is a 404 whatever the body, as for another project's template.
  router.put('/v1/templates/:name', scope, async (ctx) => {
    const name = String(ctx.params.name);
    await findOwn(ctx);
    const parsed = replaceTemplateSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    if (parsed.data.name !== undefined && parsed.data.name !== name) {
      const message = 'a template keeps its name; create one under the new name';
      throw validationError([{ field: 'name', code: 'immutable', message }]);
    }
    const { sources, variables } = checked(parsed.data);
    const projectId = currentKey(ctx).projectId;
    const updated = await prisma.template
      .update({
        where: { projectId_name: { projectId, name } },
        data: { category: parsed.data.category, ...sources, variables },
      })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === RECORD_NOT_FOUND) throw notFound(name);
        throw new DependencyUnavailable('database', err);
      });
    logger.info({ project_id: projectId, template: name }, 'template replaced');
    ctx.body = templateView(updated);
  });

  router.delete('/v1/templates/:name', scope, async (ctx) => {
    const name = String(ctx.params.name);
    const projectId = currentKey(ctx).projectId;
    const { count } = await db(prisma.template.deleteMany({ where: { projectId, name } }));
    if (count === 0) throw notFound(name);
    logger.info({ project_id: projectId, template: name }, 'template deleted');
    ctx.body = { name, deleted: true };
  });

  router.post('/v1/templates/:name/render', scope, async (ctx) => {
    const name = String(ctx.params.name);
    const parsed = renderTemplateSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const template = await db(findTemplate(prisma, currentKey(ctx).projectId, name));
    if (!template) throw notFound(name);
    const rendered = renderTemplate(template, parsed.data.template_data);
    if (!rendered.ok) throw validationError(rendered.errors);
    ctx.body = { subject: rendered.subject, html: rendered.html, text: rendered.text };
  });

  async function findOwn(ctx: Context) {
    const name = String(ctx.params.name);
    const where = { projectId_name: { projectId: currentKey(ctx).projectId, name } };
    const row = await db(prisma.template.findUnique({ where }));
    // Another project's template answers exactly as a missing one does.
    if (!row) throw notFound(name);
    return row;
  }

  return router;
}

/** The sources as stored (absent parts empty) with their variables, or a 422 naming each broken part. */
function checked(body: { subject: string; html?: string; text?: string }) {
  const sources: TemplateSources = { subject: body.subject, html: body.html ?? '', text: body.text ?? '' };
  const result = checkTemplateSources(sources);
  if (!result.ok) throw validationError(result.errors);
  return { sources, variables: result.variables };
}

function notFound(name: string): ApiError {
  return new ApiError('not_found', `no template named "${name}"`);
}
