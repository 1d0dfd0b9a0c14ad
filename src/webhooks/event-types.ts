// The event types a webhook endpoint can ask for: one per entry of a message's timeline.

export const WEBHOOK_EVENT_TYPES = [
  'message.queued',
  'message.scheduled',
  'message.accepted',
  'message.delivered',
  'message.deferred',
  'message.bounced',
  'message.suppressed',
  'message.cancelled',
  'message.complained',
  'message.unsubscribed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Whether an endpoint asking for `wanted` (empty: everything) takes an event of this type. */
export function wantsEvent(wanted: readonly string[], type: string): boolean {
  return wanted.length === 0 || wanted.includes(type);
}
