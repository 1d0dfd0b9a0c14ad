// Request shapes of /v1/webhooks; the same schemas validate requests and describe them in the OpenAPI document.
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/event-types';
import { MAX_WEBHOOK_URL_CHARS } from '../../webhooks/url-policy';

const url = z.string().min(1).max(MAX_WEBHOOK_URL_CHARS).describe('http(s) URL; no credentials; public addresses only');
const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .max(WEBHOOK_EVENT_TYPES.length)
  .describe('Event types wanted; empty or absent means every type');
const enabled = z.boolean().describe('false pauses deliveries; true re-enables an endpoint disabled after failing');

export const createWebhookSchema = z
  .object({ url, event_types: eventTypes.optional(), enabled: enabled.optional() })
  .strict();

export const updateWebhookSchema = z
  .object({ url: url.optional(), event_types: eventTypes.optional(), enabled: enabled.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of url, event_types, enabled' });

const page = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
};

export const listWebhooksQuerySchema = z.object(page).strict();

export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'skipped'] as const;

export const listDeliveriesQuerySchema = z.object({ ...page, status: z.enum(DELIVERY_STATUSES).optional() }).strict();
