// The baseline workflow: the same number of activity round trips as a delivered message, doing nothing.
import { proxyActivities } from '@temporalio/workflow';
import type { BareActivities } from './activities';

const { noop } = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(activities: number): Promise<void> {
  for (let i = 1; i <= activities; i++) await noop(i === activities);
}
