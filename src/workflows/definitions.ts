// Names shared by the API, the worker and the workflow: one set of objects, imported everywhere.
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Task queue every message workflow and its activities run on. */
export const MESSAGE_TASK_QUEUE = 'sendarix-messages';

export type MessageStatus =
  | 'queued'
  | 'scheduled'
  | 'sending'
  | 'deferred'
  | 'delivered'
  | 'bounced'
  | 'suppressed'
  | 'cancelled'
  | 'complained';

/** Statuses a message never leaves (until a complaint arrives after delivery). */
export const FINAL_STATUSES: readonly MessageStatus[] = ['delivered', 'bounced', 'suppressed', 'cancelled', 'complained'];

/** Statuses in which DELETE can still stop the message. */
export const CANCELLABLE_STATUSES: readonly MessageStatus[] = ['queued', 'scheduled', 'deferred', 'sending'];

export interface MessageWorkflowInput {
  messageId: string;
  projectId: string;
  /** ISO instant; absent or past means send now. */
  scheduledAt?: string;
  /** Delays between attempts; one more attempt than delays is made. */
  retryScheduleMs: number[];
  /** Sequence number of the next event: the API writes the first one when it accepts the message. */
  nextEventSeq: number;
  /** Whether the server has Sendarix's search attributes registered (SENDARIX_SEARCH_ATTRIBUTES). */
  searchAttributes: boolean;
}

export interface MessageState {
  messageId: string;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt?: string;
  lastResponse?: SmtpResult;
}

/** What one SMTP attempt came to, classified once by the delivery activity. */
export interface SmtpResult {
  kind: 'delivered' | 'temporary' | 'permanent';
  reason: string;
  responseCode?: number;
  enhancedStatus?: string;
  response?: string;
  stage?: string;
}

export const cancelSignal = defineSignal('cancel');
export const stateQuery = defineQuery<MessageState>('state');

/** The workflow id of a message: one message, one id, so Temporal refuses a second run. */
export function messageWorkflowId(messageId: string): string {
  return `message-${messageId}`;
}

/** Task queue of the webhook workflows and their activities, apart so a slow endpoint never holds up a message. */
export const WEBHOOK_TASK_QUEUE = 'sendarix-webhooks';

export interface WebhookWorkflowInput {
  deliveryId: string;
  endpointId: string;
  /** Delays between attempts; one more attempt than delays is made (none for a replay). */
  retryScheduleMs: number[];
  /** A replay posts even when the delivery already succeeded; the original run stops once one has. */
  replay?: boolean;
}

/** How one webhook workflow ends. */
export type WebhookDeliveryOutcome = 'delivered' | 'failed' | 'skipped_endpoint_disabled' | 'skipped_delivery_gone';

/** One webhook workflow per (endpoint, event): starting it twice is harmless. */
export function webhookWorkflowId(endpointId: string, eventId: string): string {
  return `webhook-${endpointId}-${eventId}`;
}
