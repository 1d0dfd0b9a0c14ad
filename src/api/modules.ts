// Every authenticated /v1 resource: its router and its part of the OpenAPI document. A new resource adds
// one entry here.
import type Router from '@koa/router';
import type { ApiDeps } from './deps';
import { domainsOpenApi } from './domains/openapi';
import { domainRoutes } from './domains/routes';
import { messageRoutes } from './messages/routes';
import { messagesOpenApi } from './messages/openapi';
import { projectRoutes, projectsOpenApi } from './projects/routes';
import { routingOpenApi, routingRoutes } from './routes/routes';
import { keyRoutes } from './keys/routes';
import { keysOpenApi } from './keys/openapi';
import { batchOpenApi, batchRoutes } from './messages/batch';
import { suppressionsOpenApi } from './suppressions/openapi';
import { suppressionRoutes } from './suppressions/routes';
import { templatesOpenApi } from './templates/openapi';
import { templateRoutes } from './templates/routes';
import { webhooksOpenApi } from './webhooks/openapi';
import { webhookRoutes } from './webhooks/routes';
import { analyticsOpenApi } from './analytics/openapi';
import { analyticsRoutes } from './analytics/routes';
import { deadLettersOpenApi } from './dead-letters/openapi';
import { deadLetterRoutes } from './dead-letters/routes';
import { eventsOpenApi } from './events/openapi';
import { eventRoutes } from './events/routes';

export interface ApiModule {
  routes(deps: ApiDeps): Router;
  /** OpenAPI `paths` entries for this resource. */
  openapi: Record<string, object>;
}

export const API_MODULES: ApiModule[] = [
  { routes: messageRoutes, openapi: messagesOpenApi },
  { routes: projectRoutes, openapi: projectsOpenApi },
  { routes: domainRoutes, openapi: domainsOpenApi },
  { routes: keyRoutes, openapi: keysOpenApi },
  { routes: batchRoutes, openapi: batchOpenApi },
  { routes: suppressionRoutes, openapi: suppressionsOpenApi },
  { routes: templateRoutes, openapi: templatesOpenApi },
  { routes: webhookRoutes, openapi: webhooksOpenApi },
  { routes: routingRoutes, openapi: routingOpenApi },
  { routes: eventRoutes, openapi: eventsOpenApi },
  { routes: analyticsRoutes, openapi: analyticsOpenApi },
  { routes: deadLetterRoutes, openapi: deadLettersOpenApi },
];
