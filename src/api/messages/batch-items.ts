// Accepting the items of a batch: each on its own, a few at a time. Once the database or Temporal has failed
// to answer, the items not yet started report 503 at once instead of each waiting for the same timeout; items
// already accepted stay accepted.
import { ApiError, DependencyUnavailable, type FieldError } from '../../errors';
import type { Logger } from '../../logger';
import type { MessageAccepted } from '../schemas';

/** How many items of one batch are accepted at the same time. */
export const BATCH_CONCURRENCY = 8;

export type AcceptedItem = Omit<MessageAccepted, 'status'> & {
  index: number;
  status: 202;
  /** The message's own status (`queued` or `scheduled`); `status` is the item's HTTP-like status. */
  message_status: MessageAccepted['status'];
};
export interface RefusedItem {
  index: number;
  status: number;
  error: { code: string; message: string; errors?: FieldError[] };
}
export type BatchItemResult = AcceptedItem | RefusedItem;

/** An item either settled before any I/O (invalid shape, or replayed from a stored result) or still to accept. */
export type BatchItemTask = { settled: BatchItemResult } | { accept: () => Promise<MessageAccepted> };

export async function runBatchItems(
  tasks: BatchItemTask[],
  opts: { logger: Logger; projectId: string; concurrency?: number },
): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = new Array<BatchItemResult>(tasks.length);
  let down: DependencyUnavailable | undefined;
  let next = 0;

  const attempt = async (index: number, accept: () => Promise<MessageAccepted>): Promise<BatchItemResult> => {
    try {
      return acceptedItem(index, await accept());
    } catch (err) {
      if (err instanceof ApiError) return refusedItem(index, err);
      if (err instanceof DependencyUnavailable) {
        down ??= err;
        return unavailableItem(index, err);
      }
      opts.logger.error({ project_id: opts.projectId, index, err }, 'batch item failed');
      return refusedItem(index, new ApiError('internal_error', 'internal error; retry this item with backoff'));
    }
  };

  const lane = async (): Promise<void> => {
    for (let index = next++; index < tasks.length; index = next++) {
      const task = tasks[index] as BatchItemTask;
      if ('settled' in task) results[index] = { ...task.settled, index };
      else results[index] = down ? unavailableItem(index, down) : await attempt(index, task.accept);
    }
  };
  const lanes = Math.max(1, Math.min(opts.concurrency ?? BATCH_CONCURRENCY, tasks.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

export function refusedItem(index: number, err: ApiError): RefusedItem {
  const error = { code: err.code, message: err.message, ...(err.errors ? { errors: err.errors } : {}) };
  return { index, status: err.status, error };
}

function acceptedItem(index: number, accepted: MessageAccepted): AcceptedItem {
  const { status, ...fields } = accepted;
  return { index, status: 202, ...fields, message_status: status };
}

function unavailableItem(index: number, err: DependencyUnavailable): RefusedItem {
  const message = `${err.dependency} is unavailable; retry this item with backoff`;
  return refusedItem(index, new ApiError('service_unavailable', message));
}
