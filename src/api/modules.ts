// Every authenticated /v1 resource: its router and its part of the OpenAPI document. A new resource adds
// one entry here.
import type Router from '@koa/router';
import type { ApiDeps } from './deps';
import { messageRoutes } from './messages/routes';
import { messagesOpenApi } from './messages/openapi';
import { projectRoutes, projectsOpenApi } from './projects/routes';

export interface ApiModule {
  routes(deps: ApiDeps): Router;
  /** OpenAPI `paths` entries for this resource. */
  openapi: Record<string, object>;
}

export const API_MODULES: ApiModule[] = [
  { routes: messageRoutes, openapi: messagesOpenApi },
  { routes: projectRoutes, openapi: projectsOpenApi },
];
