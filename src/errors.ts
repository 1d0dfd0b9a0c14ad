// One registry of error codes. An API error carries a code; its HTTP status is derived from the code.

export const ERROR_STATUS = {
  malformed_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  message_already_sent: 404,
  method_not_allowed: 405,
  domain_already_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  idempotency_key_reused: 422,
  webhook_url_forbidden: 422,
  webhook_endpoint_disabled: 422,
  replay_limit_reached: 422,
  recipient_suppressed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

export function validationError(errors: FieldError[]): ApiError {
  const fields = [...new Set(errors.map((e) => e.field))].join(', ');
  return new ApiError('validation_failed', `request has invalid fields: ${fields}`, errors);
}

/** Thrown when a dependency (database, Temporal) does not answer: the caller should retry later. */
export class DependencyUnavailable extends Error {
  constructor(
    readonly dependency: 'database' | 'temporal',
    cause: unknown,
  ) {
    super(`${dependency} is unavailable`, { cause });
    this.name = 'DependencyUnavailable';
  }
}
