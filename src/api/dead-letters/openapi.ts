// OpenAPI entries of /v1/dead-letters.
import { bearer, commonErrors, errorResponse, pathParam, queryParameters } from '../openapi-helpers';
import { listDeadLettersQuerySchema } from './schemas';

const idParam = { ...pathParam('id'), description: 'The message id' };

export const deadLettersOpenApi: Record<string, object> = {
  '/v1/dead-letters': {
    get: {
      summary: 'Messages that ended in failure, newest first, with cursor pagination (read scope)',
      security: bearer,
      parameters: queryParameters(listDeadLettersQuerySchema),
      responses: {
        '200': { description: 'A page of dead letters' },
        '422': errorResponse('Invalid cursor'),
        ...commonErrors,
      },
    },
  },
  '/v1/dead-letters/{id}': {
    get: {
      summary: 'One dead letter with its message and event timeline (read scope)',
      security: bearer,
      parameters: [idParam],
      responses: {
        '200': { description: 'The dead letter' },
        '404': errorResponse('No such dead letter'),
        ...commonErrors,
      },
    },
  },
  '/v1/dead-letters/{id}/retry': {
    post: {
      summary: 'Send the message again in a new workflow run, message-<id>-retry-<n> (send scope)',
      security: bearer,
      parameters: [idParam],
      responses: {
        '202': { description: 'Queued again: message_id, status, retry, workflow_id' },
        '404': errorResponse('No such dead letter'),
        '422': errorResponse('recipient_suppressed: remove the suppression first'),
        ...commonErrors,
      },
    },
  },
};
