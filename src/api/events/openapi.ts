// OpenAPI entry of GET /v1/events.
import { bearer, commonErrors, errorResponse, queryParameters } from '../openapi-helpers';
import { listEventsQuerySchema } from './schemas';

export const eventsOpenApi: Record<string, object> = {
  '/v1/events': {
    get: {
      summary: 'Search events (read scope), newest first with cursor pagination; `to` is exclusive',
      security: bearer,
      parameters: queryParameters(listEventsQuerySchema),
      responses: {
        '200': { description: 'A page: `data` (events with recipient and route) and `next_cursor`' },
        '422': errorResponse('Invalid filter or cursor'),
        ...commonErrors,
      },
    },
  },
};
