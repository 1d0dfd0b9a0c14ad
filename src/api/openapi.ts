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
      ...Object.assign({}, ...modules.map((m) => m.openapi)),
    },
  };
}
