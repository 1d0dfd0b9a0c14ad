// How an API key reads over the API: never its secret or hash, only the first characters to recognise it by.
import type { ApiKey } from '../../../generated/prisma/client';
import { PREFIX_LENGTH } from '../../services/api-keys';

export function keyView(k: ApiKey) {
  return {
    id: k.id,
    label: k.label,
    environment: k.environment,
    prefix: k.prefix.slice(0, PREFIX_LENGTH),
    scopes: k.scopes,
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}
