// Request shapes of /v1/templates.
import { z } from 'zod';

export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-_]{0,63}$/;
/** Categories the pipeline acts on: otp and security go out at high priority; lifecycle adds one-click unsubscribe. */
export const TEMPLATE_CATEGORIES = ['transactional', 'otp', 'security', 'billing', 'lifecycle'] as const;
/** Largest source of one part; a message body is far smaller than the 50 MB payload limit in practice. */
const MAX_PART_CHARS = 512 * 1024;

const sources = {
  subject: z.string().min(1).max(998).describe('Handlebars source; values are inserted literally'),
  html: z.string().max(MAX_PART_CHARS).optional().describe('Handlebars source; values are HTML-escaped'),
  text: z.string().max(MAX_PART_CHARS).optional().describe('Handlebars source; values are inserted literally'),
  category: z.enum(TEMPLATE_CATEGORIES).default('transactional'),
};

export const createTemplateSchema = z
  .object({
    name: z.string().regex(TEMPLATE_NAME, `name must match ${TEMPLATE_NAME.source}`).describe('Unique in the project'),
    ...sources,
  })
  .strict();

/** A PUT replaces every part; `name`, when given, must be the one in the path (templates are not renamed). */
export const replaceTemplateSchema = z.object({ name: z.string().optional(), ...sources }).strict();

export const renderTemplateSchema = z
  .object({ template_data: z.record(z.string(), z.unknown()).default({}) })
  .strict();

export type TemplateSources = { subject: string; html: string; text: string };
