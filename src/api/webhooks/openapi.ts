// OpenAPI entries of /v1/webhooks.
import { bearer, commonErrors, errorResponse, json, pathParam, queryParameters } from '../openapi-helpers';
import {
  createWebhookSchema,
  listDeliveriesQuerySchema,
  listWebhooksQuerySchema,
  updateWebhookSchema,
} from './schemas';

const idParam = pathParam('id');
const deliveryParam = pathParam('deliveryId');
const notFound = { '404': errorResponse('No such endpoint or delivery (also for another project\'s)') };
const invalidQuery = { '422': errorResponse('Invalid query') };

export const webhooksOpenApi: Record<string, object> = {
  '/v1/webhooks': {
    post: {
      summary: 'Create a webhook endpoint; answers its signing secret (whsec_…), shown this once only',
      security: bearer,
      requestBody: { required: true, content: json(createWebhookSchema) },
      responses: {
        '201': { description: 'Created, with `secret`' },
        '422': errorResponse('validation_failed, or webhook_url_forbidden for a loopback, private or metadata address'),
        ...commonErrors,
      },
    },
    get: {
      summary: 'List webhook endpoints, newest first, with cursor pagination',
      security: bearer,
      parameters: queryParameters(listWebhooksQuerySchema),
      responses: { '200': { description: 'A page of endpoints' }, ...invalidQuery, ...commonErrors },
    },
  },
  '/v1/webhooks/{id}': {
    get: {
      summary: 'A webhook endpoint (without its secret)',
      security: bearer,
      parameters: [idParam],
      responses: { '200': { description: 'The endpoint' }, ...notFound, ...commonErrors },
    },
    patch: {
      summary: 'Change the URL, the event types, or enabled (true re-enables an endpoint disabled after failing)',
      security: bearer,
      parameters: [idParam],
      requestBody: { required: true, content: json(updateWebhookSchema) },
      responses: {
        '200': { description: 'The changed endpoint' },
        '422': errorResponse('validation_failed or webhook_url_forbidden'),
        ...notFound,
        ...commonErrors,
      },
    },
    delete: {
      summary: 'Delete a webhook endpoint and its delivery records',
      security: bearer,
      parameters: [idParam],
      responses: { '204': { description: 'Deleted' }, ...notFound, ...commonErrors },
    },
  },
  '/v1/webhooks/{id}/deliveries': {
    get: {
      summary: 'Deliveries to this endpoint, newest first: status, attempts, last status code and error',
      security: bearer,
      parameters: [idParam, ...queryParameters(listDeliveriesQuerySchema)],
      responses: { '200': { description: 'A page of deliveries' }, ...invalidQuery, ...notFound, ...commonErrors },
    },
  },
  '/v1/webhooks/{id}/deliveries/{deliveryId}': {
    get: {
      summary: 'One delivery with its payload and every attempt',
      security: bearer,
      parameters: [idParam, deliveryParam],
      responses: { '200': { description: 'The delivery' }, ...notFound, ...commonErrors },
    },
  },
  '/v1/webhooks/{id}/deliveries/{deliveryId}/replay': {
    post: {
      summary: 'Send the delivery again (same webhook-id, fresh timestamp), once',
      security: bearer,
      parameters: [idParam, deliveryParam],
      responses: {
        '202': { description: 'Replay started' },
        '422': errorResponse('webhook_endpoint_disabled or replay_limit_reached'),
        ...notFound,
        ...commonErrors,
      },
    },
  },
};
