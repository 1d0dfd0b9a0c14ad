// What a message's workflow cost in Temporal, read from its history: events by type, and where the time went
// (waiting to be dispatched, running workflow tasks, running each kind of activity).
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface HistoryShape {
  events: number;
  activities: number;
  workflowTasks: number;
  /** Milliseconds, averaged over the sampled workflows. */
  ms: Record<string, number>;
}

const eventTime = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + Number(e.eventTime?.nanos ?? 0) / 1e6;
const typeName = (e: HistoryEvent) =>
  (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, '');

/** Averages over `workflowIds`: dispatch waits (scheduled → started) and run times (started → completed). */
export async function historyShape(client: Client, workflowIds: string[]): Promise<HistoryShape | undefined> {
  if (workflowIds.length === 0) return undefined;
  const ms: Record<string, number> = {};
  let events = 0;
  let activities = 0;
  let workflowTasks = 0;
  const add = (key: string, value: number) => (ms[key] = (ms[key] ?? 0) + value / workflowIds.length);
  for (const id of workflowIds) {
    const history = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    events += history.length / workflowIds.length;
    const byId = new Map<number, HistoryEvent>();
    for (const e of history) byId.set(Number(e.eventId), e);
    for (const e of history) {
      const type = typeName(e);
      if (type === 'WORKFLOW_TASK_STARTED') {
        const scheduled = byId.get(Number(e.workflowTaskStartedEventAttributes?.scheduledEventId));
        if (scheduled) add('workflow_task_dispatch', eventTime(e) - eventTime(scheduled));
      } else if (type === 'WORKFLOW_TASK_COMPLETED') {
        workflowTasks += 1 / workflowIds.length;
        const started = byId.get(Number(e.workflowTaskCompletedEventAttributes?.startedEventId));
        if (started) add('workflow_task_run', eventTime(e) - eventTime(started));
      } else if (type === 'ACTIVITY_TASK_STARTED') {
        const scheduled = byId.get(Number(e.activityTaskStartedEventAttributes?.scheduledEventId));
        if (scheduled) add('activity_dispatch', eventTime(e) - eventTime(scheduled));
      } else if (type === 'ACTIVITY_TASK_COMPLETED') {
        activities += 1 / workflowIds.length;
        const attrs = e.activityTaskCompletedEventAttributes;
        const scheduled = byId.get(Number(attrs?.scheduledEventId));
        const started = byId.get(Number(attrs?.startedEventId));
        const name = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
        if (started) add(`activity_run:${name}`, eventTime(e) - eventTime(started));
      }
    }
    const first = history[0];
    const last = history[history.length - 1];
    if (first && last) add('workflow_total', eventTime(last) - eventTime(first));
  }
  return { events, activities, workflowTasks, ms };
}
