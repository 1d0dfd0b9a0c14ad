// OpenAPI entries of /v1/messages.
import { bearer, commonErrors, errorResponse, json, pathParam, queryParameters, rateLimitHeaders } from '../openapi-helpers';
import { listMessagesQuerySchema, messageAcceptedSchema, sendMessageSchema } from '../schemas';

const idParam = pathParam('id');

export const messagesOpenApi: Record<string, object> = {
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
};
