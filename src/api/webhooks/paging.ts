// Cursor pagination (newest first) and database error mapping shared by the endpoint and delivery lists.
import { DependencyUnavailable, validationError } from '../../errors';
import { decodeCursor, encodeCursor } from '../messages/cursor';

type Cursor = { createdAt: Date; id: string };

/** Turns a database failure into a 503 for the client. */
export function db<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw new DependencyUnavailable('database', err);
  });
}

/** Decodes the `cursor` query parameter; one this API did not give is a 422. */
export function readCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined) return undefined;
  const cursor = decodeCursor(raw);
  if (!cursor) {
    throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'cursor is not one this API gave' }]);
  }
  return cursor;
}

/** The `where` part that selects rows after the cursor, in (created_at desc, id desc) order. */
export function afterCursor(cursor: Cursor | undefined) {
  if (!cursor) return {};
  return { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] };
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** A page from `limit + 1` rows: the first `limit`, and a cursor when there are more. */
export function pageOf<T extends Cursor, V>(rows: T[], limit: number, view: (row: T) => V) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page.map(view), next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
}
