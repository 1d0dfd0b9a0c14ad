// DKIM key material for a sender domain: an RSA 2048 key pair from node:crypto. The private key stays in the
// database and the signer; only the public half (base64 SPKI, the `p=` tag) is ever shown.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

export const DKIM_KEY_BITS = 2048;
const SELECTOR_PREFIX = 'sx';

export interface DkimKeyPair {
  /** PKCS#8 PEM. Never returned by the API nor logged. */
  privateKeyPem: string;
  /** Base64 of the DER SubjectPublicKeyInfo, as it goes into `p=`. */
  publicKeyBase64: string;
}

const generateRsa = promisify(generateKeyPair);

export async function generateDkimKeyPair(): Promise<DkimKeyPair> {
  // Generated off the event loop: an RSA 2048 key takes tens to hundreds of milliseconds.
  const { publicKey, privateKey } = await generateRsa('rsa', {
    modulusLength: DKIM_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyBase64: publicKey.toString('base64') };
}

/** The selector for a key made on `date`: `sx` and the UTC date, e.g. `sx20261204`. */
export function dkimSelector(date: Date): string {
  return SELECTOR_PREFIX + date.toISOString().slice(0, 10).replace(/-/g, '');
}
