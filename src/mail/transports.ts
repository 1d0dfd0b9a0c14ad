// One pooled nodemailer transport per route (or MX host), created on first use and kept for the worker's life.
import nodemailer, { type Transporter } from 'nodemailer';

export const CONNECTION_TIMEOUT_MS = 30_000;
export const GREETING_TIMEOUT_MS = 30_000;
export const SOCKET_TIMEOUT_MS = 120_000;
const POOL_MAX_CONNECTIONS = 5;

export interface RouteTarget {
  /** smtp:// or smtps:// URL, credentials included. Never logged or recorded. */
  url: string;
}

export class TransportPool {
  private readonly transports = new Map<string, Transporter>();

  constructor(private readonly routes: Record<string, RouteTarget>) {}

  has(route: string): boolean {
    return route in this.routes;
  }

  get(route: string): Transporter {
    const target = this.routes[route];
    if (!target) throw new Error(`unknown route ${route}`);
    return this.keyed(`configured:${route}`, () => ({ url: target.url }));
  }

  /**
   * A pooled transport for `key`, made from `options` (host, port, TLS, auth) the first time. The key must
   * change when the options do, so an edited route gets a new transport.
   */
  keyed(key: string, options: () => Record<string, unknown>): Transporter {
    const existing = this.transports.get(key);
    if (existing) return existing;
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: POOL_MAX_CONNECTIONS,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      ...options(),
    } as never);
    this.transports.set(key, transport);
    return transport;
  }

  close(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }
}
