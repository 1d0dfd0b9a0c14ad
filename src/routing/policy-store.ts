// Reads a project's routing policy. Activities ask for it on every message, so answers are kept for a few
// seconds: a PUT /v1/routes takes effect within POLICY_TTL_MS on every worker.
import type { Db } from '../db/client';
import { routesSchema, type RoutePolicy } from './rules';

export const POLICY_TTL_MS = 5_000;

export class RoutePolicyStore {
  private readonly cache = new Map<string, { policy: RoutePolicy | undefined; expiresAt: number }>();

  constructor(private readonly prisma: Db) {}

  async get(projectId: string): Promise<RoutePolicy | undefined> {
    const hit = this.cache.get(projectId);
    if (hit && hit.expiresAt > Date.now()) return hit.policy;
    const project = await this.prisma.project.findUnique({ where: { id: projectId }, select: { routes: true } });
    // Stored policies were validated on PUT; parsing again fills defaults and guards against hand edits.
    const parsed = project?.routes ? routesSchema.safeParse(project.routes) : undefined;
    const policy = parsed?.success ? parsed.data : undefined;
    this.cache.set(projectId, { policy, expiresAt: Date.now() + POLICY_TTL_MS });
    return policy;
  }
}

/** The Temporal task queue of a paced rule: one per project and rule, so Temporal can pace it across workers. */
export function routeTaskQueue(projectId: string, ruleName: string): string {
  return `sendarix-route-${projectId}-${ruleName}`;
}
