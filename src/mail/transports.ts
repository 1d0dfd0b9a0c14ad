// One pooled nodemailer transport per route, created on first use and kept for the worker's life.
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
    const existing = this.transports.get(route);
    if (existing) return existing;
    const target = this.routes[route];
    if (!target) throw new Error(`unknown route ${route}`);
    const transport = nodemailer.createTransport({
      url: target.url,
      pool: true,
      maxConnections: POOL_MAX_CONNECTIONS,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    } as never);
    this.transports.set(route, transport);
    return transport;
  }

  close(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }
}
