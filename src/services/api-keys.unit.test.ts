import { generateSecret, hashSecret, lastUseIsStale, LAST_USED_RESOLUTION_MS, PREFIX_LENGTH, scopesNotHeld } from './api-keys';

describe('generateSecret', () => {
  it('shows the environment in the prefix and keeps the recognisable part to the prefix length', () => {
    expect(generateSecret('live')).toMatch(/^sk_live_[A-Za-z0-9]{32}$/);
    expect(generateSecret('test')).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    expect(generateSecret('live').slice(0, PREFIX_LENGTH)).toMatch(/^sk_live_[A-Za-z0-9]{4}$/);
  });

  it('makes a different secret, and hash, every time', () => {
    const a = generateSecret('live');
    const b = generateSecret('live');
    expect(a).not.toBe(b);
    expect(hashSecret(a)).not.toBe(hashSecret(b));
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('scopesNotHeld', () => {
  it('names every requested scope the granting key lacks', () => {
    expect(scopesNotHeld(['send', 'keys'], ['send', 'read', 'webhooks'])).toEqual(['read', 'webhooks']);
  });

  it('refuses admin to a key that is not admin', () => {
    expect(scopesNotHeld(['send', 'read', 'cancel', 'keys'], ['admin'])).toEqual(['admin']);
  });

  it('lets an admin key grant everything, admin included', () => {
    expect(scopesNotHeld(['admin'], ['send', 'domains', 'admin'])).toEqual([]);
  });

  it('lets a key grant a subset of its own scopes', () => {
    expect(scopesNotHeld(['send', 'read', 'keys'], ['read'])).toEqual([]);
  });
});

describe('lastUseIsStale', () => {
  const now = new Date('2026-04-19T14:30:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('asks for a write when the key was never used', () => {
    expect(lastUseIsStale(null, now)).toBe(true);
    expect(lastUseIsStale(undefined, now)).toBe(true);
  });

  it('skips the write within a minute of the recorded use, and writes again after it', () => {
    expect(lastUseIsStale(ago(1_000), now)).toBe(false);
    expect(lastUseIsStale(ago(LAST_USED_RESOLUTION_MS - 1), now)).toBe(false);
    expect(lastUseIsStale(ago(LAST_USED_RESOLUTION_MS), now)).toBe(true);
    expect(LAST_USED_RESOLUTION_MS).toBe(60_000);
  });
});
