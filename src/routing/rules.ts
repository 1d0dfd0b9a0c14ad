// A project's routing policy: ordered rules matching the recipient domain to a transport, with optional
// pacing and a concurrency cap. Validated as a whole; the first matching rule wins; anything unmatched
// takes the default route from configuration.
import { z } from 'zod';

export const ROUTE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** `example.com`, `*.example.com` (any subdomain, not the domain itself) or `*` (everything). */
const DOMAIN_PATTERN = /^(\*|(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)$/;
export const MAX_RULES = 50;

const smtpTransport = z
  .object({
    type: z.literal('smtp'),
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535).default(587),
    /** `implicit`: TLS from the first byte (port 465); `required`: STARTTLS or fail; `opportunistic`: STARTTLS if offered. */
    tls: z.enum(['implicit', 'required', 'opportunistic', 'none']).default('required'),
    username: z.string().max(256).optional(),
    password: z.string().max(1024).optional(),
  })
  .strict();

const transport = z.discriminatedUnion('type', [
  smtpTransport,
  z.object({ type: z.literal('mx') }).strict(),
  z.object({ type: z.literal('sandbox') }).strict(),
]);

const pacing = z
  .object({
    per_second: z.number().positive().max(10_000).optional(),
    per_minute: z.number().positive().max(600_000).optional(),
  })
  .strict()
  .refine((p) => (p.per_second === undefined) !== (p.per_minute === undefined), {
    message: 'give exactly one of per_second or per_minute',
  });

export const routeRuleSchema = z
  .object({
    name: z.string().regex(ROUTE_NAME, 'lowercase letters, digits and dashes, at most 40'),
    match: z.array(z.string().toLowerCase().regex(DOMAIN_PATTERN, 'a domain, *.domain or *')).min(1).max(100),
    transport,
    pacing: pacing.optional(),
    concurrency: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const routesSchema = z
  .object({ rules: z.array(routeRuleSchema).max(MAX_RULES) })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.rules.forEach((rule, i) => {
      if (seen.has(rule.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `duplicate route name ${rule.name}` });
      seen.add(rule.name);
      if (['relay', 'sandbox', 'default'].includes(rule.name)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `${rule.name} is reserved for the configured routes` });
      }
    });
    const catchAll = value.rules.findIndex((r) => r.match.includes('*'));
    if (catchAll >= 0 && catchAll < value.rules.length - 1) {
      ctx.addIssue({ code: 'custom', path: ['rules', catchAll + 1], message: 'unreachable: an earlier rule matches every domain' });
    }
  });

export type RouteRule = z.infer<typeof routeRuleSchema>;
export type RoutePolicy = z.infer<typeof routesSchema>;

export function domainMatches(pattern: string, asciiDomain: string): boolean {
  const domain = asciiDomain.toLowerCase();
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return domain.endsWith(pattern.slice(1));
  return domain === pattern;
}

/** The first rule matching the recipient domain, or undefined (then the default route applies). */
export function pickRule(policy: RoutePolicy | undefined, asciiDomain: string): RouteRule | undefined {
  return policy?.rules.find((rule) => rule.match.some((p) => domainMatches(p, asciiDomain)));
}

/** Activities per second Temporal should allow on the rule's task queue, or undefined when unpaced. */
export function ratePerSecond(rule: RouteRule): number | undefined {
  if (!rule.pacing) return undefined;
  return rule.pacing.per_second ?? (rule.pacing.per_minute as number) / 60;
}
