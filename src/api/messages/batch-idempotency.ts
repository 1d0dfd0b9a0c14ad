// A batch's Idempotency-Key: one record per batch (`batch:<key>`, in the same table as single sends) holds the
// hash of the batch body and, once the batch has run, its per-item results. Each item is made idempotent by
// acceptMessage itself, under the key `<batch key>:<index>`.
import type { Db } from '../../db/client';
import { ApiError, DependencyUnavailable, validationError } from '../../errors';
import { IDEMPOTENCY_WINDOW_MS } from '../../services/accept-message';
import type { BatchItemResult } from './batch-items';

/** Leaves room for `:<index>` within the 255 characters an item's key may have. */
const MAX_BATCH_KEY_CHARS = 250;
const UNIQUE_VIOLATION = 'P2002';
/** The record's message column names no message for a batch. */
const NO_MESSAGE = '';

export interface BatchClaim {
  replayed: boolean;
  /** Results of an earlier run with this key and body; absent while that run is still going (or never ended). */
  previous?: BatchItemResult[];
}

export function itemKey(batchKey: string, index: number): string {
  return `${batchKey}:${index}`;
}

export function checkBatchKey(key: string): void {
  if (key.length > MAX_BATCH_KEY_CHARS || !/^[\x21-\x7e]+$/.test(key)) {
    throw validationError([{
      field: 'Idempotency-Key',
      code: 'invalid_idempotency_key',
      message: `must be 1-${MAX_BATCH_KEY_CHARS} printable ASCII characters on a batch (a UUID v4 is recommended)`,
    }]);
  }
}

/** Claims the key for this body, or finds the earlier claim; the same key with another body is refused. */
export async function claimBatchKey(
  prisma: Db,
  projectId: string,
  key: string,
  requestHash: string,
): Promise<BatchClaim> {
  const recordKey = `batch:${key}`;
  for (;;) {
    const existing = await prisma.idempotencyRecord
      .findUnique({ where: { projectId_key: { projectId, key: recordKey } } })
      .catch(unavailable);
    if (existing && existing.expiresAt.getTime() > Date.now()) {
      if (existing.requestHash !== requestHash) {
        throw new ApiError(
          'idempotency_key_reused',
          'this idempotency key was already used with a different batch; use a new key for a new batch',
        );
      }
      const stored = (existing.response as { data?: BatchItemResult[] | null }).data;
      return { replayed: true, previous: stored ?? undefined };
    }
    const createdAt = new Date();
    try {
      await prisma.$transaction(async (tx) => {
        if (existing) await tx.idempotencyRecord.delete({ where: { projectId_key: { projectId, key: recordKey } } });
        await tx.idempotencyRecord.create({
          data: {
            projectId,
            key: recordKey,
            requestHash,
            messageId: NO_MESSAGE,
            response: { data: null },
            createdAt,
            expiresAt: new Date(createdAt.getTime() + IDEMPOTENCY_WINDOW_MS),
          },
        });
      });
      return { replayed: false };
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) continue; // a concurrent identical batch won
      throw new DependencyUnavailable('database', err);
    }
  }
}

export async function storeBatchResults(
  prisma: Db,
  projectId: string,
  key: string,
  results: BatchItemResult[],
): Promise<void> {
  await prisma.idempotencyRecord.update({
    where: { projectId_key: { projectId, key: `batch:${key}` } },
    data: { response: { data: results } as object },
  });
}

function unavailable(err: unknown): never {
  throw new DependencyUnavailable('database', err);
}
