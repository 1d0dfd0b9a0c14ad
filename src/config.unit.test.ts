import { DEFAULT_RETRY_SCHEDULE, loadConfig } from './config';

describe('loadConfig', () => {
  it('pins the default retry schedule to 30 s, 5 min, 30 min, 2 h, 5 h', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toBe('30s,5m,30m,2h,5h');
    expect(loadConfig({}).SENDARIX_RETRY_SCHEDULE).toEqual([30_000, 300_000, 1_800_000, 7_200_000, 18_000_000]);
  });

  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.SENDARIX_DATA_DIR).toBe('./data');
    expect(config.SENDARIX_RATE_LIMIT_PER_MINUTE).toBe(1000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('accepts an overriding retry schedule', () => {
    expect(loadConfig({ SENDARIX_RETRY_SCHEDULE: '1s, 500ms,2m' }).SENDARIX_RETRY_SCHEDULE).toEqual([1000, 500, 120_000]);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['SENDARIX_RETRY_SCHEDULE', '30s,soon'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['TEMPORAL_ADDRESS', 'localhost'],
    ['SMTP_URL', 'http://relay'],
    ['SENDARIX_BOOTSTRAP_API_KEY', 'short'],
    ['SENDARIX_RATE_LIMIT_PER_MINUTE', '0'],
  ])('stops start-up naming %s when it is %p', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`invalid configuration: .*${name}`));
  });
});
