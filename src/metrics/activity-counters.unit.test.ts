import { countRecordedEvent } from './activity-counters';
import { deferrals, deliveryLatency, messagesFinished } from './registry';

async function latencySum(): Promise<number> {
  const sum = (await deliveryLatency.get()).values.find(
    (v) => v.metricName === 'sendarix_delivery_latency_seconds_sum',
  );
  return sum?.value ?? 0;
}

async function finished(status: string): Promise<number> {
  return (await messagesFinished.get()).values.find((v) => v.labels.status === status)?.value ?? 0;
}

describe('countRecordedEvent', () => {
  const createdAt = new Date('2026-04-19T14:30:00.000Z');

  it('counts a deferral without counting a finished message', async () => {
    const before = (await deferrals.get()).values[0]?.value ?? 0;
    const finishedBefore = await finished('deferred');
    countRecordedEvent({
      type: 'deferred',
      status: 'deferred',
      final: false,
      at: createdAt,
      message: { createdAt, scheduledAt: null },
    });
    expect((await deferrals.get()).values[0]?.value).toBe(before + 1);
    expect(await finished('deferred')).toBe(finishedBefore);
  });

  it('measures delivery latency from acceptance, or from the scheduled time when that is later', async () => {
    const start = await latencySum();
    const at = new Date(createdAt.getTime() + 2_000);
    countRecordedEvent({
      type: 'delivered',
      status: 'delivered',
      final: true,
      at,
      message: { createdAt, scheduledAt: null },
    });
    expect((await latencySum()) - start).toBeCloseTo(2, 6);
    const scheduledAt = new Date(createdAt.getTime() + 1_500);
    countRecordedEvent({
      type: 'delivered',
      status: 'delivered',
      final: true,
      at,
      message: { createdAt, scheduledAt },
    });
    expect((await latencySum()) - start).toBeCloseTo(2.5, 6);
    expect(await finished('delivered')).toBe(2);
  });
});
