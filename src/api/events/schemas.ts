// Query of GET /v1/events. Event types are written as clients see them (`message.delivered`); the database
// stores the bare name.
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/event-types';

export const MAX_EVENTS_PAGE = 100;

const instant = (what: string) =>
  z.iso.datetime({ offset: true }).optional().describe(`${what}: ISO 8601 instant with offset (Z or ±hh:mm)`);

export const listEventsQuerySchema = z
  .object({
    message_id: z.string().min(1).max(64).optional(),
    recipient: z.string().min(1).max(512).optional().describe("The message's recipient, matched as sending matches it"),
    type: z.enum(WEBHOOK_EVENT_TYPES).optional(),
    route: z.string().min(1).max(128).optional().describe('Route that carried the message'),
    from: instant('Events at or after this instant'),
    to: instant('Events before this instant'),
    limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(25),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;
