// GET /v1/events: the project's events, newest first, filtered by message, recipient, type, route and time.
import Router from '@koa/router';
import { DependencyUnavailable, validationError, type FieldError } from '../../errors';
import { normalizeForSuppression, parseMailbox } from '../../mail/address';
import { currentKey, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { decodeCursor, encodeCursor } from '../messages/cursor';
import { fieldErrors } from '../schemas';
import { ignoresSubaddress } from '../suppressions/store';
import { listEventsQuerySchema, type ListEventsQuery } from './schemas';
import { searchEvents, type EventFilter, type EventRow } from './search';

const EVENT_TYPE_PREFIX = 'message.';

export function eventRoutes({ prisma }: ApiDeps): Router {
  const router = new Router();

  router.get('/v1/events', requireScope('read'), async (ctx) => {
    const parsed = listEventsQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const q = parsed.data;
    const projectId = currentKey(ctx).projectId;
    // Stored recipient keys follow the project's subaddress setting, so the search must too.
    const ignoreSubaddress = q.recipient === undefined ? false : await db(ignoresSubaddress(prisma, projectId));
    const rows = await db(searchEvents(prisma, toFilter(projectId, q, ignoreSubaddress)));
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    ctx.body = {
      data: page.map(eventView),
      next_cursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  });

  return router;
}

const db = <T>(p: Promise<T>): Promise<T> =>
  p.catch((err: unknown) => {
    throw new DependencyUnavailable('database', err);
  });

/** Checks what the schema cannot (recipient syntax, cursor, range order) and builds the search filter. */
function toFilter(projectId: string, q: ListEventsQuery, ignoreSubaddress: boolean): EventFilter {
  const errors: FieldError[] = [];
  let recipientKey: string | undefined;
  if (q.recipient !== undefined) {
    const m = parseMailbox(q.recipient);
    if (m.ok) recipientKey = normalizeForSuppression(m.mailbox, { ignoreSubaddress });
    else errors.push({ field: 'recipient', code: m.code, message: m.message });
  }
  const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  if (q.cursor !== undefined && !before) {
    errors.push({ field: 'cursor', code: 'invalid_cursor', message: 'cursor is not one this API gave' });
  }
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from && to && from.getTime() > to.getTime()) {
    errors.push({ field: 'from', code: 'invalid_range', message: 'from must not be after to' });
  }
  if (errors.length > 0) throw validationError(errors);
  return {
    projectId,
    messageId: q.message_id,
    recipientKey,
    type: q.type?.slice(EVENT_TYPE_PREFIX.length),
    route: q.route,
    from,
    to,
    before,
    limit: q.limit + 1,
  };
}

function eventView(e: EventRow) {
  return {
    id: e.id,
    type: `${EVENT_TYPE_PREFIX}${e.type}`,
    message_id: e.message_id,
    sequence: e.seq,
    recipient: e.recipient,
    route: e.route,
    data: e.data,
    created_at: e.created_at.toISOString(),
  };
}
