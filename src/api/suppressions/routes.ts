// /v1/suppressions and /v1/unsubscribes: one list under two names (only the default reason of a POST differs).
// Add, list (newest first), read and remove; the recipient in a path is URL-encoded and matched as sending would.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Suppression } from '../../../generated/prisma/client';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { normalizeForSuppression, parseMailbox, type Mailbox } from '../../mail/address';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { fieldErrors } from '../schemas';
import { decodeSuppressionCursor, encodeSuppressionCursor, type SuppressionCursor } from './cursor';
import { createSuppressionSchema, listSuppressionsQuerySchema } from './schemas';
import { addSuppression, findSuppressions, ignoresSubaddress, type SuppressionReason } from './store';
import { suppressionView } from './view';

export const SUPPRESSION_RESOURCES: readonly { path: string; defaultReason: SuppressionReason }[] = [
  { path: '/v1/suppressions', defaultReason: 'manual' },
  { path: '/v1/unsubscribes', defaultReason: 'unsubscribed' },
];

const db = <T>(p: Promise<T>): Promise<T> =>
  p.catch((err: unknown) => {
    throw new DependencyUnavailable('database', err);
  });

export function suppressionRoutes(deps: ApiDeps): Router {
  const router = new Router();
  for (const resource of SUPPRESSION_RESOURCES) mount(router, deps, resource.path, resource.defaultReason);
  return router;
}

function mount(router: Router, { prisma, logger }: ApiDeps, base: string, defaultReason: SuppressionReason): void {
  const createSchema = createSuppressionSchema(defaultReason);
  const scope = requireScope('suppressions');

  router.post(base, scope, async (ctx) => {
    const parsed = createSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const projectId = currentKey(ctx).projectId;
    const mailbox = recipientMailbox(parsed.data.recipient);
    const ignoreSubaddress = await db(ignoresSubaddress(prisma, projectId));
    const address = normalizeForSuppression(mailbox, { ignoreSubaddress });
    const { reason } = parsed.data;
    const { entry, created } = await db(addSuppression(prisma, { projectId, address, reason, source: 'api' }));
    if (created) logger.info({ project_id: projectId, reason, source: 'api' }, 'recipient suppressed');
    ctx.status = created ? 201 : 200;
    ctx.body = suppressionView(entry);
  });

  router.get(base, scope, async (ctx) => {
    const parsed = listSuppressionsQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { reason, limit, cursor: rawCursor } = parsed.data;
    const cursor = rawCursor === undefined ? undefined : decodeSuppressionCursor(rawCursor);
    if (rawCursor !== undefined && !cursor) {
      throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'cursor is not one this API gave' }]);
    }
    const after = cursor ? afterCursor(cursor) : {};
    const rows = await db(prisma.suppression.findMany({
      where: { projectId: currentKey(ctx).projectId, ...(reason ? { reason } : {}), ...after },
      orderBy: [{ createdAt: 'desc' }, { address: 'desc' }],
      take: limit + 1,
    }));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeSuppressionCursor(last) : null;
    ctx.body = { data: page.map(suppressionView), next_cursor: nextCursor };
  });

  router.get(`${base}/:recipient`, scope, async (ctx) => {
    const { first } = await entriesFor(ctx);
    ctx.body = suppressionView(first);
  });

  // With the project's suppressionIgnoresSubaddress on, `a+tag@x` and `a@x` are one address: all its entries go.
  router.delete(`${base}/:recipient`, scope, async (ctx) => {
    const { first, all } = await entriesFor(ctx);
    const projectId = currentKey(ctx).projectId;
    await db(prisma.suppression.deleteMany({ where: { projectId, address: { in: all.map((e) => e.address) } } }));
    logger.info({ project_id: projectId, removed: all.length }, 'suppression removed');
    ctx.body = { ...suppressionView(first), deleted: true, entries: all.map(suppressionView) };
  });

  /** The entries that suppress the path's recipient (own key first); none is a 404, as for another project's. */
  async function entriesFor(ctx: Context): Promise<{ first: Suppression; all: Suppression[] }> {
    const projectId = currentKey(ctx).projectId;
    const mailbox = recipientMailbox(String(ctx.params.recipient ?? ''));
    const ignoreSubaddress = await db(ignoresSubaddress(prisma, projectId));
    const all = await db(findSuppressions(prisma, projectId, mailbox, ignoreSubaddress));
    const first = all[0];
    if (!first) throw new ApiError('not_found', `no suppression for ${mailbox.display}`);
    return { first, all };
  }
}

/** Entries after the cursor in newest-first order (creation time, then address, both descending). */
function afterCursor({ createdAt, address }: SuppressionCursor) {
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, address: { lt: address } }] };
}

function recipientMailbox(input: string): Mailbox {
  const parsed = parseMailbox(input);
  if (parsed.ok) return parsed.mailbox;
  throw validationError([{ field: 'recipient', code: parsed.code, message: `recipient: ${parsed.message}` }]);
}
