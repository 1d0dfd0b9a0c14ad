// Query of GET /v1/dead-letters.
import { z } from 'zod';

export const listDeadLettersQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(200).optional(),
  })
  .strict();
