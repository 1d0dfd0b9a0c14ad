// Request shapes of /v1/suppressions and /v1/unsubscribes. The seed's `user_unsubscribed` is read as `unsubscribed`.
import { z } from 'zod';
import { SUPPRESSION_REASONS, type SuppressionReason } from './store';

const REASON_ALIASES: Record<string, SuppressionReason> = { user_unsubscribed: 'unsubscribed' };

const reason = z
  .enum([...SUPPRESSION_REASONS, ...(Object.keys(REASON_ALIASES) as ['user_unsubscribed'])])
  .transform((r): SuppressionReason => REASON_ALIASES[r] ?? (r as SuppressionReason))
  .describe('hard_bounce, complaint, unsubscribed (alias user_unsubscribed) or manual');

/** The body of a POST; `defaultReason` is `manual` under /v1/suppressions and `unsubscribed` under /v1/unsubscribes. */
export function createSuppressionSchema(defaultReason: SuppressionReason) {
  return z
    .object({
      recipient: z.string().min(1).max(512).describe('One address; `Name <addr>` allowed; IDN domains allowed'),
      reason: reason.default(defaultReason),
    })
    .strict();
}

export const listSuppressionsQuerySchema = z
  .object({
    reason: reason.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(1000).optional(),
  })
  .strict();
