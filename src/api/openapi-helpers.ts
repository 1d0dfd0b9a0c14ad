// Pieces every resource's OpenAPI entries are built from: JSON bodies from zod schemas, the error shape, the
// security scheme, the headers every response carries.
import { z } from 'zod';
import { errorBodySchema } from './schemas';

export const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});
export const errorResponse = (description: string) => ({ description, content: json(errorBodySchema) });
export const bearer = [{ bearerAuth: [] }];
export const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
export const rateLimitHeaders = {
  'X-RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed per minute' },
  'X-RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Requests left in this window' },
  'X-RateLimit-Reset': { schema: { type: 'integer' }, description: 'Unix time (seconds) when the window resets' },
};
export const commonErrors = {
  '401': errorResponse('Missing, invalid or revoked API key'),
  '403': errorResponse('The key lacks the scope this operation needs'),
  '429': errorResponse('Rate limited; retry after X-RateLimit-Reset'),
  '503': errorResponse('Database or Temporal unavailable; retry with backoff'),
};

export function queryParameters(schema: z.ZodObject) {
  const jsonSchema = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, object> };
  return Object.entries(jsonSchema.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}
