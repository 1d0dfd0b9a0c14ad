// Request shapes of /v1/domains; the same schemas validate requests and describe them in the OpenAPI document.
import { z } from 'zod';

export const createDomainSchema = z
  .object({ name: z.string().min(1).max(253).describe('The domain to send from, e.g. example.com (IDN allowed)') })
  .strict();

export const listDomainsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
  })
  .strict();
