// OpenAPI entries of /v1/suppressions, /v1/unsubscribes and the one-click unsubscribe endpoint.
import { ONE_CLICK } from '../../unsubscribe/links';
import { bearer, commonErrors, errorResponse, json, pathParam, queryParameters } from '../openapi-helpers';
import { SUPPRESSION_RESOURCES } from './routes';
import { createSuppressionSchema, listSuppressionsQuerySchema } from './schemas';

const recipientParam = { ...pathParam('recipient'), description: 'The address, URL-encoded; matched as a send is' };
const html = { 'text/html': { schema: { type: 'string' } } };

function resource(path: string, defaultReason: Parameters<typeof createSuppressionSchema>[0]): Record<string, object> {
  return {
    [path]: {
      post: {
        summary: `Suppress a recipient (reason defaults to ${defaultReason}); 200 when already suppressed`,
        security: bearer,
        requestBody: { required: true, content: json(createSuppressionSchema(defaultReason)) },
        responses: {
          '201': { description: 'Suppressed' },
          '200': { description: 'Already suppressed: the existing entry' },
          '422': errorResponse('Validation failed'),
          ...commonErrors,
        },
      },
      get: {
        summary: 'List suppressions, newest first, with cursor pagination',
        security: bearer,
        parameters: queryParameters(listSuppressionsQuerySchema),
        responses: { '200': { description: 'A page' }, '422': errorResponse('Invalid filter'), ...commonErrors },
      },
    },
    [`${path}/{recipient}`]: {
      get: {
        summary: 'The suppression entry of a recipient',
        security: bearer,
        parameters: [recipientParam],
        responses: {
          '200': { description: 'Suppressed' },
          '404': errorResponse('Not suppressed'),
          '422': errorResponse('Not an email address'),
          ...commonErrors,
        },
      },
      delete: {
        summary: 'Stop suppressing a recipient',
        security: bearer,
        parameters: [recipientParam],
        responses: {
          '200': { description: 'Removed' },
          '404': errorResponse('Not suppressed'),
          '422': errorResponse('Not an email address'),
          ...commonErrors,
        },
      },
    },
  };
}

const tokenParam = pathParam('token');
const oneClickForm = { type: 'object', properties: { 'List-Unsubscribe': { const: 'One-Click' } } };

export const suppressionsOpenApi: Record<string, object> = {
  ...Object.assign({}, ...SUPPRESSION_RESOURCES.map((r) => resource(r.path, r.defaultReason))),
  '/unsubscribe/{token}': {
    get: {
      summary: 'A page with a button that unsubscribes (no API key; changes nothing, for link scanners)',
      parameters: [tokenParam],
      responses: { '200': { description: 'The page', content: html }, '404': errorResponse('Unknown or forged link') },
    },
    post: {
      summary: `One-click unsubscribe (RFC 8058): body ${ONE_CLICK}; suppresses the recipient (no API key)`,
      parameters: [tokenParam],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': { schema: oneClickForm },
          'multipart/form-data': { schema: oneClickForm },
        },
      },
      responses: {
        '200': { description: 'Unsubscribed', content: html },
        '400': errorResponse(`Body is not ${ONE_CLICK}`),
        '404': errorResponse('Unknown or forged link'),
      },
    },
  },
};
