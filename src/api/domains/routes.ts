// /v1/domains: sender domains with their DKIM keys. Create answers the DNS records to publish; verify checks
// them by DNS. Another project's domain answers exactly as a missing one.
import Router from '@koa/router';
import { ApiError, validationError } from '../../errors';
import { createDomain, PUBLIC_DOMAIN_COLUMNS, verifyDomain, type PublicDomain } from '../../domains/domains';
import { normalizeDomainName } from '../../domains/domain-name';
import { createDnsResolver } from '../../domains/resolver';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../schemas';
import { afterCursor, db, NEWEST_FIRST, pageOf, readCursor } from '../webhooks/paging';
import { createDomainSchema, listDomainsQuerySchema } from './schemas';
import { domainView } from './view';

export function domainRoutes({ prisma, config, logger }: ApiDeps): Router {
  const router = new Router();
  const dns = createDnsResolver(config.SENDARIX_DNS_SERVERS);

  router.post('/v1/domains', requireScope('domains'), async (ctx) => {
    const parsed = createDomainSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const name = normalizeDomainName(parsed.data.name);
    if (!name.ok) throw validationError([{ field: 'name', code: name.code, message: name.message }]);
    const projectId = currentKey(ctx).projectId;
    const domain = await createDomain(prisma, projectId, name.ascii);
    logger.info({ project_id: projectId, domain_id: domain.id, domain: domain.name }, 'sender domain created');
    ctx.status = 201;
    ctx.body = domainView(domain, config);
  });

  router.get('/v1/domains', requireScope('domains'), async (ctx) => {
    const parsed = listDomainsQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { limit } = parsed.data;
    const cursor = readCursor(parsed.data.cursor);
    const rows = await db(prisma.domain.findMany({
      where: { projectId: currentKey(ctx).projectId, ...afterCursor(cursor) },
      orderBy: NEWEST_FIRST,
      take: limit + 1,
      select: PUBLIC_DOMAIN_COLUMNS,
    }));
    ctx.body = pageOf(rows, limit, (d) => domainView(d, config));
  });

  router.get('/v1/domains/:id', requireScope('domains'), async (ctx) => {
    ctx.body = domainView(await findOwn(ctx.params.id as string, currentKey(ctx).projectId), config);
  });

  router.post('/v1/domains/:id/verify', requireScope('domains'), async (ctx) => {
    const projectId = currentKey(ctx).projectId;
    const { domain } = await verifyDomain(prisma, dns, config, await findOwn(ctx.params.id as string, projectId));
    const ids = { project_id: projectId, domain_id: domain.id, domain: domain.name };
    logger.info({ ...ids, status: domain.status }, 'sender domain checked');
    ctx.body = domainView(domain, config);
  });

  router.delete('/v1/domains/:id', requireScope('domains'), async (ctx) => {
    const id = ctx.params.id as string;
    const projectId = currentKey(ctx).projectId;
    const { count } = await db(prisma.domain.deleteMany({ where: { id, projectId } }));
    if (count === 0) throw new ApiError('not_found', `no domain ${id}`);
    logger.info({ project_id: projectId, domain_id: id }, 'sender domain deleted');
    ctx.body = { id, deleted: true };
  });

  async function findOwn(id: string, projectId: string): Promise<PublicDomain> {
    const domain = await db(prisma.domain.findFirst({ where: { id, projectId }, select: PUBLIC_DOMAIN_COLUMNS }));
    if (!domain) throw new ApiError('not_found', `no domain ${id}`);
    return domain;
  }

  return router;
}
