// Request shape of POST /v1/keys.
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
