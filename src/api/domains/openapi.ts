// OpenAPI entries of /v1/domains.
import { bearer, commonErrors, errorResponse, json, pathParam, queryParameters } from '../openapi-helpers';
import { createDomainSchema, listDomainsQuerySchema } from './schemas';

const idParam = pathParam('id');
const invalidQuery = {
  '422': errorResponse('Invalid query: `limit` outside 1–100, a cursor this API did not give, or an unknown parameter'),
};
const notFound = errorResponse('No such domain (or another project\'s)');

export const domainsOpenApi: Record<string, object> = {
  '/v1/domains': {
    post: {
      summary: 'Add a sender domain: makes its DKIM key and answers the DNS records to publish',
      security: bearer,
      requestBody: { required: true, content: json(createDomainSchema) },
      responses: {
        '201': { description: 'Created, status pending; `records` lists what to publish' },
        '409': errorResponse('The project already has this domain'),
        '422': errorResponse('Not a domain name'),
        ...commonErrors,
      },
    },
    get: {
      summary: 'List the project\'s sender domains, newest first, with cursor pagination',
      security: bearer,
      parameters: queryParameters(listDomainsQuerySchema),
      responses: {
        '200': { description: 'A page of domains: `data`, and `next_cursor` (null on the last page)' },
        ...invalidQuery,
        ...commonErrors,
      },
    },
  },
  '/v1/domains/{id}': {
    get: {
      summary: 'A sender domain with its records and last checks',
      security: bearer,
      parameters: [idParam],
      responses: { '200': { description: 'The domain' }, '404': notFound, ...commonErrors },
    },
    delete: {
      summary: 'Remove a sender domain; messages from it are no longer accepted nor signed',
      security: bearer,
      parameters: [idParam],
      responses: { '200': { description: 'Deleted' }, '404': notFound, ...commonErrors },
    },
  },
  '/v1/domains/{id}/verify': {
    post: {
      summary: 'Check the domain\'s records by DNS; DKIM decides verified or failed, SPF and DMARC are reported',
      security: bearer,
      parameters: [idParam],
      responses: {
        '200': { description: 'The domain with its new checks and status' },
        '404': notFound,
        ...commonErrors,
      },
    },
  },
};
