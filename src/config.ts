// The one place that reads process.env. Parsed once; a bad value stops start-up naming the variable.
import path from 'node:path';
import { z } from 'zod';
import { parseDnsServers } from './domains/dns-servers';
import { parseDuration, parseDurationList } from './duration';
import { WEBHOOK_TASK_QUEUE } from './workflows/definitions';

/** Retry delays after each failed attempt: 30 s, 5 min, 30 min, 2 h, 5 h (six attempts in all). */
export const DEFAULT_RETRY_SCHEDULE = '30s,5m,30m,2h,5h';

/** Webhook retry delays after each failed POST: about a day in all (eleven attempts). */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,30s,2m,10m,30m,1h,2h,4h,8h,8h';

/** A comma-separated duration list (`30s,5m`) parsed into milliseconds. */
function durationListMs(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((v, ctx) => {
      const parsed = parseDurationList(v);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.valuesMs;
    });
}

/** One duration (`3d`, `90s`) parsed into milliseconds. */
function durationMs(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration like 90s, 12h or 3d` });
        return z.NEVER;
      }
      return ms;
    });
}

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
  /** Off for a Temporal server where Sendarix's search attributes are not registered (they cannot be used there). */
  SENDARIX_SEARCH_ATTRIBUTES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  SENDARIX_TASK_QUEUE: z.string().min(1).default('sendarix-messages'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Port of mail exchangers for routes of type `mx` (25 everywhere on the internet; tests point it at peers). */
  SENDARIX_MX_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  SENDARIX_SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2526),
  SENDARIX_BOOTSTRAP_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  SENDARIX_DEFAULT_FROM: z.string().optional(),
  SENDARIX_RETRY_SCHEDULE: durationListMs(DEFAULT_RETRY_SCHEDULE),
  SENDARIX_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1000),
  SENDARIX_HOSTNAME: z.string().min(1).default('sendarix.localhost'),
  SENDARIX_PUBLIC_URL: z.string().url().optional(),
  /** Signs one-click unsubscribe links; `npm start` without it keeps a generated one in the data folder. */
  SENDARIX_UNSUBSCRIBE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Mailbox offered as a second List-Unsubscribe target (`<mailto:…>`); unset offers only the HTTPS link. */
  SENDARIX_UNSUBSCRIBE_MAILTO: z.string().regex(/^[^\s@<>,;?]+@[A-Za-z0-9.-]+$/, 'must be an email address').optional(),
  /** Name servers for sender-domain checks (`ip[:port]`, comma-separated); unset means the system resolver. */
  SENDARIX_DNS_SERVERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const parsed = parseDnsServers(v);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.servers;
    }),
  /** SPF mechanism suggested to sender domains: `include:<this>`; unset suggests `a:<SENDARIX_HOSTNAME>`. */
  SENDARIX_SPF_INCLUDE: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name').optional(),
  /** Address for aggregate DMARC reports in the suggested DMARC record (`rua=mailto:<this>`). */
  SENDARIX_DMARC_RUA: z.string().regex(/^[^\s@;,]+@[A-Za-z0-9.-]+$/, 'must be an email address').optional(),
  /** Task queue of the webhook workflows; a deployment sharing a namespace with another sets its own. */
  SENDARIX_WEBHOOK_TASK_QUEUE: z.string().min(1).default(WEBHOOK_TASK_QUEUE),
  SENDARIX_WEBHOOK_RETRY_SCHEDULE: durationListMs(DEFAULT_WEBHOOK_RETRY_SCHEDULE),
  /** An endpoint failing without a success for this long is disabled. */
  SENDARIX_WEBHOOK_DISABLE_AFTER: durationMs('3d'),
  /** Lets webhooks target loopback and private addresses (development and tests only). */
  SENDARIX_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** SMTP relay ingress (AUTH with an API key); 587 is the submission port for production. `0` picks a free one. */
  SENDARIX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SENDARIX_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** PEM files of the STARTTLS certificate; `npm start` without them keeps a self-signed one in the data folder. */
  SENDARIX_SMTP_TLS_CERT: z.string().min(1).optional(),
  SENDARIX_SMTP_TLS_KEY: z.string().min(1).optional(),
  /** AUTH without STARTTLS; unset means allowed for `npm start` on a loopback host and refused otherwise. */
  SENDARIX_SMTP_ALLOW_INSECURE_AUTH: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Largest message the relay takes (advertised as SIZE; a larger one is answered 552). */
  SENDARIX_SMTP_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  /** Listener for bounces and complaints sent to `bounces+<message id>@SENDARIX_HOSTNAME` (no AUTH). */
  SENDARIX_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).default(2527),
  SENDARIX_INBOUND_HOST: z.string().min(1).default('127.0.0.1'),
  /** `/metrics` on the API: `true` always, `false` never; unset serves it only when HOST is a loopback address. */
  SENDARIX_METRICS: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Loopback port of the Temporal SDK's own Prometheus exporter in worker processes; `0` turns it off. */
  SENDARIX_TEMPORAL_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Health and metrics listener of `npm run worker`. */
  SENDARIX_WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  SENDARIX_WORKER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Worker tuning (see bench/RESULTS.md for how the defaults were chosen). */
  SENDARIX_WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  SENDARIX_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  SENDARIX_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(250),
  SENDARIX_WORKER_ACTIVITY_POLLERS: z.coerce.number().int().min(1).default(10),
  SENDARIX_WORKER_WORKFLOW_POLLERS: z.coerce.number().int().min(2).default(10),
  /** How long a stopping worker lets in-flight activities finish before it cancels them. */
  SENDARIX_WORKER_SHUTDOWN_GRACE: durationMs('20s'),
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
