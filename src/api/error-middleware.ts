// Registered first: every error leaves as `{error: {code, message, errors?}}` with the status its code
// implies. Only 5xx are logged as errors, with their stack.
import type { Middleware } from 'koa';
import { ApiError, DependencyUnavailable } from '../errors';
import type { Logger } from '../logger';

export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ApiError('not_found', `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const apiError = toApiError(err);
      ctx.status = apiError.status;
      ctx.body = { error: { code: apiError.code, message: apiError.message, ...(apiError.errors ? { errors: apiError.errors } : {}) } };
      if (apiError.status === 503) ctx.set('Retry-After', '5');
      if (apiError.status >= 500) {
        logger.error({ err, method: ctx.method, path: ctx.path, status: apiError.status }, 'request failed');
      }
    }
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DependencyUnavailable) {
    return new ApiError('service_unavailable', `${err.dependency} is unavailable; retry with backoff`);
  }
  const status = (err as { status?: number }).status;
  if (status === 413) return new ApiError('payload_too_large', 'request body is too large');
  if (status === 400) return new ApiError('malformed_request', (err as Error).message);
  return new ApiError('internal_error', 'internal error; retry with backoff');
}
