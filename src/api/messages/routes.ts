// /v1/messages: send, list, read, cancel.
import Router from '@koa/router';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { normalizeForSuppression, parseMailbox } from '../../mail/address';
import { acceptMessage } from '../../services/accept-message';
import { cancelSignal, CANCELLABLE_STATUSES, FINAL_STATUSES, type MessageStatus } from '../../workflows/definitions';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { fieldErrors, listMessagesQuerySchema, sendMessageSchema } from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';
import { messageView, type MessageWithEvents } from './view';

/** How long DELETE waits for the workflow to confirm the cancellation before answering 202. */
const CANCEL_CONFIRM_MS = 3_000;
const CANCEL_POLL_MS = 100;

export function messageRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const { prisma, temporal } = deps;
  const db = <T>(p: Promise<T>): Promise<T> => p.catch((err: unknown) => { throw new DependencyUnavailable('database', err); });

  router.post('/v1/messages', requireScope('send'), async (ctx) => {
    const body = await readJsonBody(ctx);
    const parsed = sendMessageSchema.safeParse(body);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const headerKey = ctx.get('idempotency-key') || undefined;
    const { projectId, environment } = currentKey(ctx);
    const { response, replayed } = await acceptMessage(deps, projectId, parsed.data, headerKey, environment);
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 202;
    ctx.body = response;
  });

  router.get('/v1/messages', requireScope('read'), async (ctx) => {
    const parsed = listMessagesQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const q = parsed.data;
    const errors = [];
    const range = (field: string, value?: string) => {
      if (value === undefined) return undefined;
      const t = Date.parse(value);
      if (Number.isNaN(t)) errors.push({ field, code: 'invalid_datetime', message: `${field} must be an ISO 8601 instant` });
      return new Date(t);
    };
    const from = range('created_from', q.created_from);
    const to = range('created_to', q.created_to);
    let recipientKey: string | undefined;
    if (q.recipient !== undefined) {
      const m = parseMailbox(q.recipient);
      if (m.ok) {
        // Stored keys follow the project's subaddress setting, so the search must too.
        const project = await db(prisma.project.findUnique({ where: { id: currentKey(ctx).projectId } }));
        recipientKey = normalizeForSuppression(m.mailbox, { ignoreSubaddress: project?.suppressionIgnoresSubaddress });
      }
      else errors.push({ field: 'recipient', code: m.code, message: m.message });
    }
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !cursor) errors.push({ field: 'cursor', code: 'invalid_cursor', message: 'cursor is not one this API gave' });
    if (errors.length > 0) throw validationError(errors);

    const rows = await db(prisma.message.findMany({
      where: {
        projectId: currentKey(ctx).projectId,
        ...(q.status ? { status: q.status } : {}),
        ...(recipientKey ? { recipientKey } : {}),
        createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) },
        ...(cursor
          ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
    }));
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    ctx.body = {
      data: page.map((m) => messageView(m, deps)),
      next_cursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    };
  });

  router.get('/v1/messages/:id', requireScope('read'), async (ctx) => {
    const message = await findOwn(ctx.params.id as string, currentKey(ctx).projectId, true);
    ctx.body = messageView(message, deps);
  });

  router.delete('/v1/messages/:id', requireScope('cancel'), async (ctx) => {
    const projectId = currentKey(ctx).projectId;
    const message = await findOwn(ctx.params.id as string, projectId, false);
    if (message.status === 'cancelled') {
      ctx.body = { message_id: message.id, status: 'cancelled' };
      return;
    }
    if (!CANCELLABLE_STATUSES.includes(message.status as MessageStatus)) throw alreadySent(message.status);
    try {
      await temporal.connection.withDeadline(Date.now() + 5_000, () =>
        temporal.workflow.getHandle(message.workflowId).signal(cancelSignal),
      );
    } catch (err) {
      throw new DependencyUnavailable('temporal', err);
    }
    const status = await waitForFinalStatus(message.id);
    if (status === 'cancelled') {
      ctx.body = { message_id: message.id, status: 'cancelled' };
    } else if (status && FINAL_STATUSES.includes(status)) {
      throw alreadySent(status);
    } else {
      ctx.status = 202;
      ctx.body = { message_id: message.id, status: 'cancelling' };
    }
  });

  async function findOwn(id: string, projectId: string, withEvents: boolean): Promise<MessageWithEvents> {
    const message = await db(prisma.message.findFirst({
      where: { id, projectId },
      include: withEvents ? { events: { orderBy: { seq: 'asc' } } } : undefined,
    }));
    // Another project's message answers exactly as a missing one does.
    if (!message) throw new ApiError('not_found', `no message ${id}`);
    return message as MessageWithEvents;
  }

  async function waitForFinalStatus(id: string): Promise<MessageStatus | undefined> {
    const deadline = Date.now() + CANCEL_CONFIRM_MS;
    for (;;) {
      const row = await db(prisma.message.findUnique({ where: { id }, select: { status: true } }));
      const status = row?.status as MessageStatus | undefined;
      if (!status || FINAL_STATUSES.includes(status) || Date.now() > deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
    }
  }

  return router;
}

function alreadySent(status: string): ApiError {
  return new ApiError('message_already_sent', `message is ${status}; only a message not yet sent can be cancelled`);
}
