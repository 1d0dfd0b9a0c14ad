// The process's Prometheus registry and Sendarix's own metrics. One registry per process: with `npm start`
// the API and the worker share it, with `npm run api` / `npm run worker` each process exposes its own part.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
// Process figures (resident memory, heap, event-loop lag, CPU) under their usual names.
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];
/** Latency buckets for an answer the client waits for: 2.5 ms … 10 s. */
const REQUEST_BUCKETS_S = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Accepted → delivered spans a direct send (tens of ms) and the retry schedule (hours). */
const DELIVERY_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 21600, 86400];

export const httpRequests = new Counter({
  name: 'sendarix_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const httpRequestDuration = new Histogram({
  name: 'sendarix_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: REQUEST_BUCKETS_S,
  registers,
});

export const messageAcceptDuration = new Histogram({
  name: 'sendarix_message_accept_duration_seconds',
  help: 'Time to accept a message: POST /v1/messages answered 202 (stored and its workflow started)',
  buckets: REQUEST_BUCKETS_S,
  registers,
});

export const messagesFinished = new Counter({
  name: 'sendarix_messages_finished_total',
  help: 'Messages that reached a final status, by that status',
  labelNames: ['status'] as const,
  registers,
});

export const deliveryLatency = new Histogram({
  name: 'sendarix_delivery_latency_seconds',
  help: 'Accepted (or scheduled time, when later) to delivered, retries included',
  buckets: DELIVERY_BUCKETS_S,
  registers,
});

export const deferrals = new Counter({
  name: 'sendarix_deferrals_total',
  help: 'Delivery attempts that failed temporarily and were scheduled for a retry',
  registers,
});

export const webhookFailures = new Counter({
  name: 'sendarix_webhook_failures_total',
  help: 'Webhook POST attempts that failed (non-2xx answer, timeout or connection error)',
  registers,
});
