// How a message reads over the API: state, timestamps, outcome, the event timeline and a link to its
// workflow in the Temporal UI.
import type { Event, Message } from '../../../generated/prisma/client';
import type { MessageContent } from '../../mail/content';
import type { ApiDeps } from '../deps';

export type MessageWithEvents = Message & { events?: Event[] };

export function messageView(m: MessageWithEvents, deps: Pick<ApiDeps, 'config' | 'temporalUiUrl'>) {
  const content = m.content as unknown as MessageContent;
  const namespace = deps.config.TEMPORAL_NAMESPACE;
  return {
    message_id: m.id,
    status: m.status,
    recipient: m.recipient,
    from: content.from.display,
    subject: m.subject,
    template: m.template,
    metadata: m.metadata,
    tags: m.tags,
    priority: m.priority,
    route: m.route,
    attempts: m.attempts,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    scheduled_time: m.scheduledAt?.toISOString() ?? null,
    completed_at: m.completedAt?.toISOString() ?? null,
    last_response: m.lastResponse,
    ...(m.events
      ? {
          events: m.events.map((e) => ({
            id: e.id,
            type: `message.${e.type}`,
            sequence: e.seq,
            created_at: e.createdAt.toISOString(),
            data: e.data,
          })),
        }
      : {}),
    temporal: {
      workflow_id: m.workflowId,
      ui_url: deps.temporalUiUrl
        ? `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(m.workflowId)}`
        : null,
    },
  };
}
