// OpenAPI entries of /v1/keys.
import { bearer, commonErrors, errorResponse, json, pathParam, queryParameters } from '../openapi-helpers';
import { createKeySchema, listKeysQuerySchema } from './schemas';

const idParam = pathParam('id');
const invalidQuery = {
  '422': errorResponse('Invalid query: `limit` outside 1–100, a cursor this API did not give, or an unknown parameter'),
};

export const keysOpenApi: Record<string, object> = {
  '/v1/keys': {
    post: {
      summary: 'Create an API key (keys scope); answers its secret, shown once',
      security: bearer,
      requestBody: { required: true, content: json(createKeySchema) },
      responses: {
        '201': { description: 'Created; `secret` is shown only in this answer' },
        '422': errorResponse('Validation failed, or a scope the calling key does not hold (scope_not_held)'),
        ...commonErrors,
      },
    },
    get: {
      summary: "The project's keys, newest first, revoked ones included (never secrets), with cursor pagination",
      security: bearer,
      parameters: queryParameters(listKeysQuerySchema),
      responses: {
        '200': { description: 'A page of keys: `data`, and `next_cursor` (null on the last page)' },
        ...invalidQuery,
        ...commonErrors,
      },
    },
  },
  '/v1/keys/{id}': {
    get: {
      summary: 'One key',
      security: bearer,
      parameters: [idParam],
      responses: { '200': { description: 'The key' }, '404': errorResponse('No such key'), ...commonErrors },
    },
    delete: {
      summary: 'Revoke a key at once (a key may revoke itself); its next request answers 401',
      security: bearer,
      parameters: [idParam],
      responses: { '200': { description: 'Revoked' }, '404': errorResponse('No such key'), ...commonErrors },
    },
  },
};
