// Request and response shapes. The same zod schemas validate requests and produce the OpenAPI document.
import { z } from 'zod';
import type { FieldError } from '../errors';

const headerValue = z.string().max(998);

export const sendMessageSchema = z
  .object({
    recipient: z.string().min(1).max(512).describe('One address; `Name <addr>` allowed; IDN domains allowed'),
    from: z.string().min(1).max(512).optional().describe('Sender; defaults to the project default sender'),
    subject: z.string().max(998).optional().describe('Required unless the template supplies one'),
    template: z.string().min(1).max(128).optional().describe('Name of a stored template'),
    template_data: z.record(z.string(), z.unknown()).optional(),
    html: z.string().optional(),
    text: z.string().optional(),
    headers: z.record(z.string().min(1).max(128), headerValue).optional()
      .describe('Extra headers; X-Idempotency-Key here counts as the idempotency key'),
    reply_to: z.union([z.string().min(1).max(512), z.array(z.string().min(1).max(512)).max(10)]).optional(),
    metadata: z.record(z.string().max(128), z.union([z.string().max(2048), z.number(), z.boolean(), z.null()])).optional()
      .describe('Echoed in events and webhooks'),
    tags: z.array(z.string().min(1).max(64)).max(20).optional(),
    attachments: z
      .array(
        z.object({
          filename: z.string().min(1).max(255),
          content: z.string().describe('Base64'),
          content_type: z.string().max(255).optional(),
        }).strict(),
      )
      .max(100)
      .optional(),
    priority: z.enum(['high', 'normal', 'low']).optional(),
    scheduled_time: z.string().optional().describe('ISO 8601 instant with offset (Z or ±hh:mm)'),
    unsubscribe: z.boolean().optional()
      .describe('Add one-click List-Unsubscribe headers (RFC 8058); lifecycle templates add them unless false'),
  })
  .strict();

export type SendMessageRequest = z.infer<typeof sendMessageSchema>;

export const messageAcceptedSchema = z.object({
  message_id: z.string(),
  status: z.enum(['queued', 'scheduled']),
  recipient: z.string(),
  created_at: z.string(),
  scheduled_time: z.string().optional(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
});

export type MessageAccepted = z.infer<typeof messageAcceptedSchema>;

export const listMessagesQuerySchema = z
  .object({
    status: z.enum(['queued', 'scheduled', 'sending', 'deferred', 'delivered', 'bounced', 'suppressed', 'cancelled', 'complained']).optional(),
    recipient: z.string().max(512).optional(),
    created_from: z.string().optional(),
    created_to: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  }),
});

/** Turns zod issues into field-level errors named the way the client wrote the field. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: base ? `${base}.${key}` : key, code: 'unknown_field', message: `unknown field "${key}"` });
      }
    } else if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      out.push({ field: base, code: 'required', message: `${base} is required` });
    } else {
      out.push({ field: base || '(body)', code: issue.code, message: issue.message });
    }
  }
  return out;
}
