// POST /v1/messages/batch: up to 100 send requests in one call. Each item is validated and accepted on its own
// (its own message, its own workflow) and answered in its own entry; the call itself answers 200.
import Router from '@koa/router';
import { z } from 'zod';
import { ApiError, validationError } from '../../errors';
import { canonicalJson, sha256Hex } from '../../ids';
import { acceptMessage } from '../../services/accept-message';
import { currentKey, requireScope } from '../auth';
import { readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { bearer, commonErrors, errorResponse, json } from '../openapi-helpers';
import { fieldErrors, sendMessageSchema } from '../schemas';
import { checkBatchKey, claimBatchKey, itemKey, storeBatchResults } from './batch-idempotency';
import { refusedItem, runBatchItems, type BatchItemTask } from './batch-items';

export const MAX_BATCH_ITEMS = 100;

export const sendBatchSchema = z
  .object({
    messages: z.array(z.unknown()).min(1).max(MAX_BATCH_ITEMS).describe(`1-${MAX_BATCH_ITEMS} send requests`),
  })
  .strict();

export function batchRoutes(deps: ApiDeps): Router {
  const router = new Router();

  router.post('/v1/messages/batch', requireScope('send'), async (ctx) => {
    const body = (await readJsonBody(ctx)) as Record<string, unknown>;
    if (!Array.isArray(body.messages)) {
      throw new ApiError('malformed_request', 'messages must be an array of send requests');
    }
    const parsed = sendBatchSchema.safeParse(body);
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    const { projectId, environment } = currentKey(ctx);
    const batchKey = ctx.get('idempotency-key') || undefined;
    if (batchKey !== undefined) checkBatchKey(batchKey);

    const bodyHash = sha256Hex(canonicalJson(body));
    const claim = batchKey ? await claimBatchKey(deps.prisma, projectId, batchKey, bodyHash) : undefined;
    const tasks = parsed.data.messages.map((item, index): BatchItemTask => {
      // A refusal from an earlier run of the same batch stands; server trouble is tried again.
      const earlier = claim?.previous?.[index];
      if (earlier && earlier.status < 500) return { settled: earlier };
      const request = sendMessageSchema.safeParse(item);
      if (!request.success) return { settled: refusedItem(index, validationError(fieldErrors(request.error))) };
      const key = batchKey === undefined ? undefined : itemKey(batchKey, index);
      return { accept: async () => (await acceptMessage(deps, projectId, request.data, key, environment)).response };
    });
    const results = await runBatchItems(tasks, { logger: deps.logger, projectId });

    if (batchKey) {
      await storeBatchResults(deps.prisma, projectId, batchKey, results).catch((err: unknown) => {
        // The items' own records still make a replay safe; only the stored summary is missing.
        deps.logger.warn({ project_id: projectId, err }, 'could not store batch results');
      });
    }
    if (claim?.replayed) ctx.set('Idempotent-Replayed', 'true');
    const accepted = results.filter((r) => r.status === 202).length;
    deps.logger.info({ project_id: projectId, items: results.length, accepted }, 'batch answered');
    ctx.body = { data: results };
  });

  return router;
}

export const batchOpenApi: Record<string, object> = {
  '/v1/messages/batch': {
    post: {
      summary: 'Send up to 100 messages; each item is accepted or refused on its own',
      description:
        'Answers 200 with `data`: one entry per item, in order: `{index, status: 202, message_id, message_status, ' +
        'recipient, created_at, …}` or `{index, status: 422|503|…, error: {code, message, errors?}}`. With an ' +
        'Idempotency-Key, item n is idempotent under `<key>:<n>`; the same key with another batch body is refused.',
      security: bearer,
      parameters: [
        { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 250 } },
      ],
      requestBody: { required: true, content: json(sendBatchSchema) },
      responses: {
        '200': { description: 'One result per item' },
        '400': errorResponse('Malformed JSON, or messages is not an array'),
        '422': errorResponse('No items or more than 100, or idempotency_key_reused for the batch'),
        ...commonErrors,
      },
    },
  },
};
