// Request shapes of /v1/keys: POST's body and the list's query.
import { z } from 'zod';
import { SCOPES } from '../../services/api-keys';

export const createKeySchema = z
  .object({
    label: z.string().trim().min(1).max(200).describe('What the key is for, e.g. "billing service"'),
    environment: z.enum(['live', 'test']).default('live').describe('Shown in the secret: sk_live_… or sk_test_…'),
    scopes: z
      .array(z.enum(SCOPES))
      .min(1)
      .max(SCOPES.length)
      .describe('Scopes to grant; only scopes the calling key holds (admin only from an admin key)'),
  })
  .strict();

export type CreateKeyRequest = z.infer<typeof createKeySchema>;

export const listKeysQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
  })
  .strict();
