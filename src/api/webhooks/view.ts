// How webhook endpoints and deliveries read over the API. The secret is never part of a view: it is shown
// once, in the answer to the create request.
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../../generated/prisma/client';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function endpointView(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    event_types: e.eventTypes,
    enabled: e.enabled,
    disabled_at: iso(e.disabledAt),
    disabled_reason: e.disabledReason,
    failing_since: iso(e.failingSince),
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

export function deliveryView(d: WebhookDelivery) {
  return {
    id: d.id,
    event_id: d.eventId,
    message_id: d.messageId,
    type: d.type,
    sequence: d.sequence,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    last_attempt_at: iso(d.lastAttemptAt),
    delivered_at: iso(d.deliveredAt),
    created_at: d.createdAt.toISOString(),
  };
}

export function attemptView(a: WebhookAttempt) {
  return {
    attempt: a.attempt,
    status_code: a.statusCode,
    error: a.error,
    duration_ms: a.durationMs,
    created_at: a.createdAt.toISOString(),
  };
}
