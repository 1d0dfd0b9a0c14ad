import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { DKIM_KEY_BITS, dkimSelector, generateDkimKeyPair } from './keys';

describe('generateDkimKeyPair', () => {
  it('makes an RSA 2048 pair whose public half is the base64 SPKI of the private key', async () => {
    const pair = await generateDkimKeyPair();
    const privateKey = createPrivateKey(pair.privateKeyPem);
    expect(privateKey.asymmetricKeyType).toBe('rsa');
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(DKIM_KEY_BITS);
    expect(pair.publicKeyBase64).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const der = Buffer.from(pair.publicKeyBase64, 'base64');
    const publicKey = createPublicKey({ key: der, format: 'der', type: 'spki' });
    const signature = sign('sha256', Buffer.from('probe'), privateKey);
    expect(verify('sha256', Buffer.from('probe'), publicKey, signature)).toBe(true);
  });

  it('makes a different key each time', async () => {
    const [a, b] = await Promise.all([generateDkimKeyPair(), generateDkimKeyPair()]);
    expect(a.publicKeyBase64).not.toBe(b.publicKeyBase64);
  });
});

describe('dkimSelector', () => {
  it.each([
    ['2026-12-04T10:00:00Z', 'sx20261204'],
    ['2026-01-09T23:59:59Z', 'sx20260109'],
    ['2026-03-01T00:30:00+02:00', 'sx20260228'],
  ])('names a key made at %s %s (UTC date)', (at, selector) => {
    expect(dkimSelector(new Date(at))).toBe(selector);
  });
});
