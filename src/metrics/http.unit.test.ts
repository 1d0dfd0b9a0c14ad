import { metricsExposed } from './http';

describe('metricsExposed', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['api.internal', false],
  ])('serves /metrics by default on HOST %s: %s', (host, expected) => {
    expect(metricsExposed({ HOST: host, SENDARIX_METRICS: undefined })).toBe(expected);
  });

  it('follows SENDARIX_METRICS when it is set', () => {
    expect(metricsExposed({ HOST: '0.0.0.0', SENDARIX_METRICS: true })).toBe(true);
    expect(metricsExposed({ HOST: '127.0.0.1', SENDARIX_METRICS: false })).toBe(false);
  });
});
