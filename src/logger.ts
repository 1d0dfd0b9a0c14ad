// Structured JSON logs (pino): a fields object with ids first, then a short message. Secrets never appear:
// the paths below are redacted wherever they occur.
import pino from 'pino';

export type Logger = pino.Logger;

const REDACTED_PATHS = [
  'authorization',
  'password',
  'secret',
  'api_key',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.api_key',
  'headers.authorization',
  'req.headers.authorization',
  'smtp_url',
  'database_url',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'sendarix' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

/** Removes the password from a URL before it is logged or recorded anywhere. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = 'redacted';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
