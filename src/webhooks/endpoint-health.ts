// An endpoint's health across all its deliveries: `failingSince` marks the first failure after the last success;
// an endpoint that has failed without a success for SENDARIX_WEBHOOK_DISABLE_AFTER is disabled until a PATCH
// turns it back on. Each step is one conditional update, so concurrent deliveries cannot undo each other.
import type { Db } from '../db/client';
import type { Logger } from '../logger';

export interface HealthDeps {
  prisma: Db;
  logger: Logger;
  disableAfterMs: number;
}

/** Records one attempt's outcome for the endpoint; answers true when this failure disabled it. */
export async function recordEndpointHealth(
  { prisma, logger, disableAfterMs }: HealthDeps,
  endpoint: { id: string; projectId: string },
  outcome: { ok: boolean; error?: string; at: Date },
): Promise<boolean> {
  if (outcome.ok) {
    await prisma.webhookEndpoint.updateMany({
      where: { id: endpoint.id, failingSince: { not: null } },
      data: { failingSince: null },
    });
    return false;
  }
  await prisma.webhookEndpoint.updateMany({
    where: { id: endpoint.id, failingSince: null },
    data: { failingSince: outcome.at },
  });
  const cutoff = new Date(outcome.at.getTime() - disableAfterMs);
  const failing = await prisma.webhookEndpoint.findFirst({
    where: { id: endpoint.id, enabled: true, failingSince: { lte: cutoff } },
    select: { failingSince: true },
  });
  if (!failing?.failingSince) return false;
  const since = failing.failingSince.toISOString();
  const reason = `no successful delivery since ${since}; last error: ${outcome.error ?? 'unknown'}`;
  const { count } = await prisma.webhookEndpoint.updateMany({
    where: { id: endpoint.id, enabled: true },
    data: { enabled: false, disabledAt: outcome.at, disabledReason: reason.slice(0, 500) },
  });
  if (count > 0) {
    logger.warn(
      { endpoint_id: endpoint.id, project_id: endpoint.projectId, failing_since: since, reason },
      'webhook endpoint disabled',
    );
  }
  return count > 0;
}
