// Bearer authentication and scope checks.
import type { Context, Middleware, Next } from 'koa';
import { ApiError, DependencyUnavailable } from '../errors';
import { authenticateSecret, lastUseIsStale, touchLastUsed } from '../services/api-keys';
import type { AuthenticatedKey, Scope } from '../services/api-keys';
import type { ApiDeps } from './deps';

export interface AuthState {
  key: AuthenticatedKey;
}

export function authenticate({ prisma, logger }: ApiDeps): Middleware {
  return async (ctx: Context, next: Next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError('unauthorized', 'missing API key: send Authorization: Bearer <key>');
    const key = await authenticateSecret(prisma, match[1] as string).catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });
    if (!key) throw new ApiError('unauthorized', 'invalid or revoked API key');
    const now = new Date();
    // last_used_at is bookkeeping: a failed write is logged and the request goes on.
    if (lastUseIsStale(key.lastUsedAt, now)) {
      await touchLastUsed(prisma, key.id, now).catch((err: unknown) => {
        logger.warn({ key_id: key.id, project_id: key.projectId, err }, 'could not record key use');
      });
    }
    (ctx.state as AuthState).key = key;
    await next();
  };
}

export function requireScope(scope: Scope): Middleware {
  return async (ctx: Context, next: Next) => {
    const { key } = ctx.state as AuthState;
    if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
      throw new ApiError('forbidden', `this API key lacks the "${scope}" scope`);
    }
    await next();
  };
}

export function currentKey(ctx: Context): AuthenticatedKey {
  return (ctx.state as AuthState).key;
}
