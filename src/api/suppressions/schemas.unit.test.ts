import { createSuppressionSchema, listSuppressionsQuerySchema } from './schemas';

describe('suppression request schemas', () => {
  it('reads the seed reason user_unsubscribed as unsubscribed', () => {
    const parsed = createSuppressionSchema('manual').parse({ recipient: 'a@example.com', reason: 'user_unsubscribed' });
    expect(parsed.reason).toBe('unsubscribed');
  });

  it.each([
    ['manual', 'manual'],
    ['unsubscribed', 'unsubscribed'],
  ] as const)('defaults the reason to %s where that is the resource default', (defaultReason, expected) => {
    expect(createSuppressionSchema(defaultReason).parse({ recipient: 'a@example.com' }).reason).toBe(expected);
  });

  it.each(['hard_bounce', 'complaint', 'unsubscribed', 'manual'])('accepts the reason %s', (reason) => {
    expect(createSuppressionSchema('manual').parse({ recipient: 'a@example.com', reason }).reason).toBe(reason);
  });

  it.each([
    ['an unknown reason', { recipient: 'a@example.com', reason: 'bored' }],
    ['an unknown field', { recipient: 'a@example.com', note: 'x' }],
    ['no recipient', { reason: 'manual' }],
    ['an empty recipient', { recipient: '' }],
    ['a recipient that is not a string', { recipient: 42 }],
  ])('refuses %s', (_name, body) => {
    expect(createSuppressionSchema('manual').safeParse(body).success).toBe(false);
  });

  it('filters the list by the alias too', () => {
    const parsed = listSuppressionsQuerySchema.parse({ reason: 'user_unsubscribed' });
    expect(parsed).toEqual({ reason: 'unsubscribed', limit: 25 });
  });
});
