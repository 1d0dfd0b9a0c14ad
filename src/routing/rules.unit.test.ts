import { domainMatches, pickRule, ratePerSecond, routesSchema, type RoutePolicy } from './rules';

describe('domainMatches', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['example.com', 'EXAMPLE.com', true],
    ['example.com', 'mail.example.com', false],
    ['*.example.com', 'mail.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'badexample.com', false],
    ['*', 'anything.org', true],
  ])('%s against %s is %s', (pattern, domain, expected) => {
    expect(domainMatches(pattern, domain)).toBe(expected);
  });
});

describe('routesSchema', () => {
  const rule = (name: string, match: string[]) => ({ name, match, transport: { type: 'mx' as const } });

  it('accepts an ordered policy and fills transport defaults', () => {
    const parsed = routesSchema.parse({
      rules: [{ name: 'gmail', match: ['gmail.com'], transport: { type: 'smtp', host: 'relay.test' }, pacing: { per_minute: 120 } }, rule('rest', ['*'])],
    });
    expect(parsed.rules[0]?.transport).toEqual({ type: 'smtp', host: 'relay.test', port: 587, tls: 'required' });
  });

  it.each([
    ['duplicate names', { rules: [rule('a', ['x.com']), rule('a', ['y.com'])] }],
    ['a reserved name', { rules: [rule('relay', ['x.com'])] }],
    ['a rule after the catch-all', { rules: [rule('all', ['*']), rule('late', ['x.com'])] }],
    ['an invalid pattern', { rules: [rule('a', ['exa mple.com'])] }],
    ['a pattern with a wildcard inside', { rules: [rule('a', ['mail.*.com'])] }],
    ['both pacing units', { rules: [{ ...rule('a', ['x.com']), pacing: { per_second: 1, per_minute: 60 } }] }],
    ['no pacing unit', { rules: [{ ...rule('a', ['x.com']), pacing: {} }] }],
    ['an unknown transport', { rules: [{ name: 'a', match: ['x.com'], transport: { type: 'carrier-pigeon' } }] }],
    ['an unknown field', { rules: [{ ...rule('a', ['x.com']), weight: 3 }] }],
  ])('refuses %s', (_name, input) => {
    expect(routesSchema.safeParse(input).success).toBe(false);
  });
});

describe('pickRule', () => {
  const policy: RoutePolicy = routesSchema.parse({
    rules: [
      { name: 'corp', match: ['corp.example', '*.corp.example'], transport: { type: 'sandbox' }, pacing: { per_second: 2 } },
      { name: 'rest', match: ['*'], transport: { type: 'mx' } },
    ],
  });

  it('takes the first rule that matches', () => {
    expect(pickRule(policy, 'mail.corp.example')?.name).toBe('corp');
    expect(pickRule(policy, 'other.example')?.name).toBe('rest');
  });

  it('leaves the default route when nothing matches', () => {
    expect(pickRule(routesSchema.parse({ rules: [] }), 'x.com')).toBeUndefined();
    expect(pickRule(undefined, 'x.com')).toBeUndefined();
  });

  it('turns pacing into activities per second', () => {
    expect(ratePerSecond(policy.rules[0]!)).toBe(2);
    expect(ratePerSecond(routesSchema.parse({ rules: [{ name: 'm', match: ['x.com'], transport: { type: 'mx' }, pacing: { per_minute: 30 } }] }).rules[0]!)).toBe(0.5);
    expect(ratePerSecond(policy.rules[1]!)).toBeUndefined();
  });
});
