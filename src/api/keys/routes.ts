// /v1/keys: create (the secret is shown once), list, read and revoke the keys of the calling key's project.
import Router from '@koa/router';
import { ApiError, validationError } from '../../errors';
import { createKey, scopesNotHeld } from '../../services/api-keys';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../schemas';
import { afterCursor, db, NEWEST_FIRST, pageOf, readCursor } from '../webhooks/paging';
import { createKeySchema, listKeysQuerySchema } from './schemas';
import { keyView } from './view';

export function keyRoutes({ prisma, logger }: ApiDeps): Router {
  const router = new Router();

  router.post('/v1/keys', requireScope('keys'), async (ctx) => {
    const parsed = createKeySchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const caller = currentKey(ctx);
    const refused = scopesNotHeld(caller.scopes, parsed.data.scopes);
    if (refused.length > 0) {
      throw validationError(refused.map((scope) => ({
        field: 'scopes',
        code: 'scope_not_held',
        message: `this key cannot grant the "${scope}" scope: a key grants only scopes it holds`,
      })));
    }
    const { key, secret } = await db(createKey(prisma, { projectId: caller.projectId, ...parsed.data }));
    const ids = { key_id: key.id, project_id: key.projectId, created_by: caller.id };
    logger.info({ ...ids, scopes: key.scopes }, 'key created');
    ctx.status = 201;
    ctx.body = { ...keyView(key), secret };
  });

  router.get('/v1/keys', requireScope('keys'), async (ctx) => {
    const parsed = listKeysQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { limit } = parsed.data;
    const cursor = readCursor(parsed.data.cursor);
    const keys = await db(prisma.apiKey.findMany({
      where: { projectId: currentKey(ctx).projectId, ...afterCursor(cursor) },
      orderBy: NEWEST_FIRST,
      take: limit + 1,
    }));
    ctx.body = pageOf(keys, limit, keyView);
  });

  router.get('/v1/keys/:id', requireScope('keys'), async (ctx) => {
    ctx.body = keyView(await findOwn(ctx.params.id as string, currentKey(ctx).projectId));
  });

  // A key may revoke itself: the answer still arrives, and its next request is refused.
  router.delete('/v1/keys/:id', requireScope('keys'), async (ctx) => {
    const caller = currentKey(ctx);
    const key = await findOwn(ctx.params.id as string, caller.projectId);
    if (key.revokedAt) {
      ctx.body = keyView(key);
      return;
    }
    await db(prisma.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: new Date() } }));
    const revoked = await findOwn(key.id, caller.projectId);
    logger.info({ key_id: key.id, project_id: key.projectId, revoked_by: caller.id }, 'API key revoked');
    ctx.body = keyView(revoked);
  });

  async function findOwn(id: string, projectId: string) {
    const key = await db(prisma.apiKey.findFirst({ where: { id, projectId } }));
    // Another project's key answers exactly as a missing one does.
    if (!key) throw new ApiError('not_found', `no API key ${id}`);
    return key;
  }

  return router;
}
