// The one place that reads process.env. Parsed once; a bad value stops start-up naming the variable.
import path from 'node:path';
import { z } from 'zod';
import { parseDurationList } from './duration';

/** Retry delays after each failed attempt: 30 s, 5 min, 30 min, 2 h, 5 h (six attempts in all). */
export const DEFAULT_RETRY_SCHEDULE = '30s,5m,30m,2h,5h';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  SENDARIX_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:]+:\d+$/, 'must be host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI: z.string().optional(),
  HOME: z.string().optional(),
  XDG_CACHE_HOME: z.string().optional(),
  TEMPORAL_UI_URL: z.string().url().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_PORT: z.coerce.number().int().min(0).max(65535).default(7233),
  SENDARIX_TASK_QUEUE: z.string().min(1).default('sendarix-messages'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  SENDARIX_SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2526),
  SENDARIX_BOOTSTRAP_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  SENDARIX_DEFAULT_FROM: z.string().optional(),
  SENDARIX_RETRY_SCHEDULE: z
    .string()
    .default(DEFAULT_RETRY_SCHEDULE)
    .transform((v, ctx) => {
      const parsed = parseDurationList(v);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.valuesMs;
    }),
  SENDARIX_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1000),
  SENDARIX_HOSTNAME: z.string().min(1).default('sendarix.localhost'),
  SENDARIX_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('production'),
});

export type Config = z.infer<typeof schema> & { dataDir: string };

/** Parses an environment (process.env by default); throws an Error whose message names each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration: ${lines.join('; ')}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.SENDARIX_DATA_DIR) };
}
