// Bearer authentication and scope checks.
import type { Context, Middleware, Next } from 'koa';
import { ApiError, DependencyUnavailable } from '../errors';
import { authenticateSecret, type AuthenticatedKey, type Scope } from '../services/api-keys';
import type { ApiDeps } from './deps';

export interface AuthState {
  key: AuthenticatedKey;
}

export function authenticate({ prisma }: ApiDeps): Middleware {
  return async (ctx: Context, next: Next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError('unauthorized', 'missing API key: send Authorization: Bearer <key>');
    const key = await authenticateSecret(prisma, match[1] as string).catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });
    if (!key) throw new ApiError('unauthorized', 'invalid or revoked API key');
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
