// The activities of a message workflow, built from the worker's dependencies.
import type { ActivityDeps } from './deps';
import { deliveryActivities } from './delivery';
import { recordActivities } from './record';
import { prepareActivities } from './prepare';
import { createDnsResolver } from '../domains/resolver';
import { MessageRouter } from '../routing/router';

export function createActivities(deps: ActivityDeps) {
  const router = new MessageRouter({
    prisma: deps.prisma,
    transports: deps.transports,
    defaultRoute: deps.defaultRoute,
    dns: createDnsResolver(deps.config.SENDARIX_DNS_SERVERS),
    mxPort: deps.config.SENDARIX_MX_PORT,
    hostname: deps.hostname,
  });
  return {
    ...recordActivities(deps),
    ...prepareActivities(deps, router),
    ...deliveryActivities(deps, router),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export { webhookActivities, type WebhookActivities, type WebhookActivityDeps } from './webhooks';
export type { ActivityDeps } from './deps';
