// The /v1 routes as the Koa routers of API_MODULES define them, read at test time, so that suites about
// every route (scopes, project isolation) also cover routes added after they were written. Building a router
// uses no dependency: the database and Temporal stand-ins below refuse any use, loudly.
import { loadConfig } from '../../src/config';
import type { ApiDeps } from '../../src/api/deps';
import { API_MODULES } from '../../src/api/modules';
import { createLogger } from '../../src/logger';

export interface ApiRoute {
  method: string;
  /** As the router spells it, e.g. `/v1/messages/:id`. */
  path: string;
  params: string[];
}

const refuseUse = (what: string) =>
  new Proxy({}, {
    get: (_target, property) => {
      throw new Error(`building the ${what} routers must not use ${what}.${String(property)}`);
    },
  });

export function apiRoutes(): ApiRoute[] {
  const deps = {
    prisma: refuseUse('prisma'),
    temporal: refuseUse('temporal'),
    config: loadConfig({}),
    logger: createLogger('silent'),
  } as unknown as ApiDeps;
  const routes: ApiRoute[] = [];
  for (const module of API_MODULES) {
    for (const layer of module.routes(deps).stack) {
      if (typeof layer.path !== 'string') throw new Error(`route ${String(layer.path)} is not a string path`);
      for (const method of layer.methods.filter((m) => m !== 'HEAD')) {
        routes.push({ method, path: layer.path, params: layer.paramNames.map((p) => String(p.name)) });
      }
    }
  }
  return routes;
}

/** The path with each `:param` replaced by the value `valueOf` gives for its name. */
export function fillPath(path: string, valueOf: (param: string) => string): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(valueOf(name)));
}

export const describeRoute = (r: Pick<ApiRoute, 'method' | 'path'>) => `${r.method} ${r.path}`;
