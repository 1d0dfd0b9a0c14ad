import { ApiError, DependencyUnavailable } from '../../errors';
import { createLogger } from '../../logger';
import type { MessageAccepted } from '../schemas';
import { runBatchItems, type BatchItemTask } from './batch-items';

const logger = createLogger('silent');
const opts = { logger, projectId: 'proj_test' };

const accepted = (n: number): MessageAccepted => ({
  message_id: `msg_${n}`,
  status: 'queued',
  recipient: `user${n}@example.com`,
  created_at: '2026-04-19T14:30:00.000Z',
});

describe('runBatchItems', () => {
  it('answers every item in order, with its index, whatever order they finish in', async () => {
    const tasks: BatchItemTask[] = [30, 0, 10].map((delayMs, n) => ({
      accept: () => new Promise<MessageAccepted>((resolve) => setTimeout(() => resolve(accepted(n)), delayMs)),
    }));
    const results = await runBatchItems(tasks, opts);
    expect(results.map((r) => [r.index, r.status])).toEqual([[0, 202], [1, 202], [2, 202]]);
    expect(results[0]).toEqual({
      index: 0,
      status: 202,
      message_id: 'msg_0',
      message_status: 'queued',
      recipient: 'user0@example.com',
      created_at: '2026-04-19T14:30:00.000Z',
    });
  });

  it("reports an item's API error in that item only", async () => {
    const refusal = new ApiError('idempotency_key_reused', 'key reused');
    const results = await runBatchItems(
      [{ accept: async () => accepted(0) }, { accept: () => Promise.reject(refusal) }, { accept: async () => accepted(2) }],
      opts,
    );
    expect(results.map((r) => r.status)).toEqual([202, 422, 202]);
    expect(results[1]).toEqual({ index: 1, status: 422, error: { code: 'idempotency_key_reused', message: 'key reused' } });
  });

  it('keeps settled items as they are, under their own index', async () => {
    const settled = { index: 99, status: 422, error: { code: 'validation_failed', message: 'bad', errors: [] } };
    const results = await runBatchItems([{ settled }, { accept: async () => accepted(1) }], opts);
    expect(results[0]).toEqual({ ...settled, index: 0 });
    expect(results[1]?.status).toBe(202);
  });

  it('stops trying once a dependency is down: started items stay accepted, the rest answer 503 untried', async () => {
    const tried: number[] = [];
    const tasks: BatchItemTask[] = Array.from({ length: 10 }, (_, n) => ({
      accept: async () => {
        tried.push(n);
        if (n === 3) throw new DependencyUnavailable('temporal', new Error('deadline exceeded'));
        return accepted(n);
      },
    }));
    const results = await runBatchItems(tasks, { ...opts, concurrency: 1 });
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 503, 503, 503, 503, 503, 503, 503]);
    expect(tried).toEqual([0, 1, 2, 3]);
    expect(results[7]).toEqual({
      index: 7,
      status: 503,
      error: { code: 'service_unavailable', message: 'temporal is unavailable; retry this item with backoff' },
    });
  });

  it('answers 500 for an item that fails unexpectedly and goes on with the others', async () => {
    const results = await runBatchItems(
      [{ accept: () => Promise.reject(new Error('boom')) }, { accept: async () => accepted(1) }],
      { ...opts, concurrency: 1 },
    );
    expect(results.map((r) => r.status)).toEqual([500, 202]);
    expect(results[0]).toMatchObject({ error: { code: 'internal_error' } });
  });

  it('runs no more items at once than its concurrency', async () => {
    let running = 0;
    let peak = 0;
    const tasks: BatchItemTask[] = Array.from({ length: 20 }, (_, n) => ({
      accept: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return accepted(n);
      },
    }));
    await runBatchItems(tasks, { ...opts, concurrency: 4 });
    expect(peak).toBe(4);
  });
});
