// The OpenAPI 3.1 document, built from the zod schemas that validate requests.
import { ERROR_STATUS } from '../errors';
import type { ApiModule } from './modules';
import { errorResponse } from './openapi-helpers';

export function openApiDocument(modules: ApiModule[]) {
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
      ...withBodyErrors(Object.assign({}, ...modules.map((m) => m.openapi)) as Record<string, PathItem>),
    },
  };
}

type Operation = { requestBody?: { content?: Record<string, unknown> }; responses?: Record<string, object> };
type PathItem = Record<string, Operation>;

/** What readJsonBody answers for any JSON body, added to every operation that takes one and does not say it. */
const JSON_BODY_ERRORS = {
  '400': errorResponse('Malformed request: the body is empty, not JSON, or not a JSON object'),
  '413': errorResponse('Request body too large'),
  '415': errorResponse('Content type is not application/json'),
};

function withBodyErrors(paths: Record<string, PathItem>): Record<string, PathItem> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, op]) => {
          const takesJson = Boolean(op.requestBody?.content?.['application/json']);
          return [method, takesJson ? { ...op, responses: { ...JSON_BODY_ERRORS, ...op.responses } } : op];
        }),
      ),
    ]),
  );
}
