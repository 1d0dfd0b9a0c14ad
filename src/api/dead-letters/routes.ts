// /v1/dead-letters: the project's messages that ended in failure, newest first; read one, or send it again.
import Router from '@koa/router';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { currentKey, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { decodeCursor, encodeCursor } from '../messages/cursor';
import { messageView, type MessageWithEvents } from '../messages/view';
import { fieldErrors } from '../schemas';
import { retryDeadLetter } from './retry';
import { listDeadLettersQuerySchema } from './schemas';
import { deadLetterView } from './view';

const MESSAGE_FIELDS = { recipient: true, subject: true, attempts: true, route: true, status: true } as const;

const db = <T>(p: Promise<T>): Promise<T> =>
  p.catch((err: unknown) => {
    throw new DependencyUnavailable('database', err);
  });

export function deadLetterRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const { prisma } = deps;

  router.get('/v1/dead-letters', requireScope('read'), async (ctx) => {
    const parsed = listDeadLettersQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { limit, cursor: rawCursor } = parsed.data;
    const cursor = rawCursor === undefined ? undefined : decodeCursor(rawCursor);
    if (rawCursor !== undefined && !cursor) {
      throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'cursor is not one this API gave' }]);
    }
    const after = cursor
      ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, messageId: { lt: cursor.id } }] }
      : {};
    const rows = await db(prisma.deadLetter.findMany({
      where: { projectId: currentKey(ctx).projectId, ...after },
      include: { message: { select: MESSAGE_FIELDS } },
      orderBy: [{ createdAt: 'desc' }, { messageId: 'desc' }],
      take: limit + 1,
    }));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    ctx.body = {
      data: page.map(deadLetterView),
      next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.messageId }) : null,
    };
  });

  router.get('/v1/dead-letters/:id', requireScope('read'), async (ctx) => {
    const id = ctx.params.id as string;
    const dead = await db(prisma.deadLetter.findFirst({
      where: { messageId: id, projectId: currentKey(ctx).projectId },
      include: { message: { include: { events: { orderBy: { seq: 'asc' } } } } },
    }));
    if (!dead) throw new ApiError('not_found', `no dead letter for message ${id}`);
    ctx.body = { ...deadLetterView(dead), message: messageView(dead.message as MessageWithEvents, deps) };
  });

  router.post('/v1/dead-letters/:id/retry', requireScope('send'), async (ctx) => {
    const result = await retryDeadLetter(deps, currentKey(ctx).projectId, ctx.params.id as string);
    ctx.status = 202;
    ctx.body = { message_id: result.messageId, status: 'queued', retry: result.retry, workflow_id: result.workflowId };
  });

  return router;
}
