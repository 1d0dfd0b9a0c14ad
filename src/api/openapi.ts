// The OpenAPI 3.1 document, built from the zod schemas that validate requests.
import { z } from 'zod';
import { ERROR_STATUS } from '../errors';
import { errorBodySchema, listMessagesQuerySchema, messageAcceptedSchema, sendMessageSchema } from './schemas';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const errorResponse = (description: string) => ({ description, content: json(errorBodySchema) });
const bearer = [{ bearerAuth: [] }];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const rateLimitHeaders = {
  'X-RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed per minute' },
  'X-RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Requests left in this window' },
  'X-RateLimit-Reset': { schema: { type: 'integer' }, description: 'Unix time (seconds) when the window resets' },
};
const commonErrors = {
  '401': errorResponse('Missing, invalid or revoked API key'),
  '403': errorResponse('The key lacks the scope this operation needs'),
  '429': errorResponse('Rate limited; retry after X-RateLimit-Reset'),
  '503': errorResponse('Database or Temporal unavailable; retry with backoff'),
};

function queryParameters(schema: z.ZodObject) {
  const jsonSchema = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, object> };
  return Object.entries(jsonSchema.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sendarix API',
      version: '1.0.0',
      description: `Transactional email. Error codes and their HTTP statuses: ${Object.entries(ERROR_STATUS)
        .map(([code, status]) => `${code} (${status})`)
        .join(', ')}.`,
    },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/health': {
        get: {
          summary: 'Health: 200 only when the database and Temporal answer',
          responses: { '200': { description: 'Healthy' }, '503': errorResponse('A dependency does not answer') },
        },
      },
      '/v1/messages': {
        post: {
          summary: 'Send a message',
          security: bearer,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, content: json(sendMessageSchema) },
          responses: {
            '202': { description: 'Accepted for processing (not yet delivered)', headers: rateLimitHeaders, content: json(messageAcceptedSchema) },
            '400': errorResponse('Malformed JSON'),
            '413': errorResponse('Payload over 50 MB'),
            '422': errorResponse('Validation failed (field-level errors), or idempotency_key_reused'),
            ...commonErrors,
          },
        },
        get: {
          summary: 'List messages, newest first, with cursor pagination',
          security: bearer,
          parameters: queryParameters(listMessagesQuerySchema),
          responses: { '200': { description: 'A page of messages' }, '422': errorResponse('Invalid filter'), ...commonErrors },
        },
      },
      '/v1/messages/{id}': {
        get: {
          summary: 'A message with its state, outcome and event timeline',
          security: bearer,
          parameters: [idParam],
          responses: { '200': { description: 'The message' }, '404': errorResponse('No such message'), ...commonErrors },
        },
        delete: {
          summary: 'Cancel a message that is not sent yet',
          security: bearer,
          parameters: [idParam],
          responses: {
            '200': { description: 'Cancelled' },
            '202': { description: 'Cancellation requested; the workflow has not confirmed yet' },
            '404': errorResponse('No such message, or already sent'),
            ...commonErrors,
          },
        },
      },
    },
  };
}
