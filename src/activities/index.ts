// The activities of a message workflow, built from the worker's dependencies.
import type { ActivityDeps } from './deps';
import { deliveryActivities } from './delivery';
import { recordActivities } from './record';
import { routingActivities } from './routing';
import { suppressionActivities } from './suppression';

export function createActivities(deps: ActivityDeps) {
  return {
    ...recordActivities(deps),
    ...suppressionActivities(deps),
    ...routingActivities(deps),
    ...deliveryActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
