// The baseline workflow: as many activity round trips as a delivered message makes, doing nothing. By default all
// are ordinary activities; `local` of them (the first ones) run as local activities, for a baseline of the very
// shape of Sendarix's workflow (its bookkeeping is local, its SMTP attempt is not).
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BareActivities } from './activities';

/** [activities, how many of them are local]. */
export type BareShape = [activities: number, local: number];

const remote = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(activities: number, localActivities = 0): Promise<void> {
  for (let i = 1; i <= activities; i++) {
    const proxy = i <= localActivities ? local : remote;
    await proxy.noop(i === activities);
  }
}
