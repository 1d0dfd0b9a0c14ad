// OpenAPI entry of GET /v1/analytics.
import { bearer, commonErrors, errorResponse, queryParameters } from '../openapi-helpers';
import { analyticsQuerySchema } from './schemas';

export const analyticsOpenApi: Record<string, object> = {
  '/v1/analytics': {
    get: {
      summary:
        'Counts per status (messages by acceptance time) and per event type (events by their time), delivery, ' +
        'bounce and complaint rates, and accept→delivered latency p50/p95/p99, in UTC buckets (read scope)',
      security: bearer,
      parameters: queryParameters(analyticsQuerySchema),
      responses: {
        '200': { description: '`totals`, `buckets` (every bucket of the range) and, with group_by, `groups`' },
        '422': errorResponse('Invalid or too long range'),
        ...commonErrors,
      },
    },
  },
};
