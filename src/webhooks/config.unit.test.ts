import { loadConfig } from '../config';

describe('webhook configuration', () => {
  it('defaults to a retry schedule of about a day, disabling after 3 days, public targets only', () => {
    const config = loadConfig({});
    expect(config.SENDARIX_WEBHOOK_RETRY_SCHEDULE).toEqual([
      5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000,
    ]);
    expect(config.SENDARIX_WEBHOOK_DISABLE_AFTER).toBe(3 * 24 * 3_600_000);
    expect(config.SENDARIX_WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(config.SENDARIX_WEBHOOK_TASK_QUEUE).toBe('sendarix-webhooks');
  });

  it('reads the variables when set', () => {
    const config = loadConfig({
      SENDARIX_WEBHOOK_RETRY_SCHEDULE: '1s, 2s',
      SENDARIX_WEBHOOK_DISABLE_AFTER: '90m',
      SENDARIX_WEBHOOK_ALLOW_PRIVATE: 'true',
      SENDARIX_WEBHOOK_TASK_QUEUE: 'hooks-b',
    });
    expect(config).toMatchObject({
      SENDARIX_WEBHOOK_RETRY_SCHEDULE: [1_000, 2_000],
      SENDARIX_WEBHOOK_DISABLE_AFTER: 5_400_000,
      SENDARIX_WEBHOOK_ALLOW_PRIVATE: true,
      SENDARIX_WEBHOOK_TASK_QUEUE: 'hooks-b',
    });
  });

  it.each([
    ['SENDARIX_WEBHOOK_RETRY_SCHEDULE', '5s,soon'],
    ['SENDARIX_WEBHOOK_DISABLE_AFTER', 'three days'],
    ['SENDARIX_WEBHOOK_ALLOW_PRIVATE', 'yes'],
  ])('refuses a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
