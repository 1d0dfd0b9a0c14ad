import { trustedSenderDomains } from './sender-policy';

const hostname = 'sendarix.localhost';

describe('trustedSenderDomains', () => {
  it('trusts the domain of the project\'s default sender, in A-label form', () => {
    const defaultFrom = 'Shop <hello@Bücher.example>';
    const trusted = trustedSenderDomains({ defaultFrom, environment: 'live', hostname });
    expect([...trusted]).toEqual(['xn--bcher-kva.example']);
  });

  it('lets a test key use the sandbox identity @SENDARIX_HOSTNAME', () => {
    expect([...trustedSenderDomains({ defaultFrom: null, environment: 'test', hostname })]).toEqual([hostname]);
  });

  it('does not let a live key use the sandbox identity', () => {
    expect(trustedSenderDomains({ defaultFrom: null, environment: 'live', hostname }).size).toBe(0);
  });

  it('trusts nothing from a default sender that does not parse', () => {
    expect(trustedSenderDomains({ defaultFrom: 'not an address', environment: 'live', hostname }).size).toBe(0);
  });
});
