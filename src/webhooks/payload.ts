// The JSON body every endpoint receives for one event. Built once at fan-out and stored on the delivery, so
// that every retry and replay carries the very same payload.

/** A message event as the fan-out sees it; `type` is the bare event name (`delivered`). */
export interface WebhookSourceEvent {
  id: string;
  messageId: string;
  projectId: string;
  seq: number;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
  /** The message's status after this event; the stored status is used when absent. */
  status?: string;
}

export interface WebhookPayload {
  id: string;
  type: string;
  created_at: string;
  sequence: number;
  data: Record<string, unknown>;
}

interface MessageFields {
  recipient: string;
  status: string;
  metadata: unknown;
  tags: string[];
}

// The message's own fields come from the message row; event data may add to them but not replace them.
const RESERVED_KEYS = ['message_id', 'recipient', 'status', 'metadata', 'tags'];

export function buildWebhookPayload(event: WebhookSourceEvent, message: MessageFields): WebhookPayload {
  const { smtp, ...rest } = event.data;
  const extra = Object.fromEntries(Object.entries(rest).filter(([key]) => !RESERVED_KEYS.includes(key)));
  return {
    id: event.id,
    type: `message.${event.type}`,
    created_at: event.createdAt.toISOString(),
    sequence: event.seq,
    data: {
      message_id: event.messageId,
      recipient: message.recipient,
      status: event.status ?? message.status,
      ...(smtp !== undefined ? { smtp } : {}),
      metadata: message.metadata ?? {},
      tags: message.tags,
      ...extra,
    },
  };
}
