// Identifiers and hashes. Message ids derived from an idempotency key are stable, so concurrent identical
// requests name the same message and the same workflow.
import { createHash, randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A fresh id such as `msg_k3j…` (26 base32 characters, 130 bits). */
export function randomId(prefix: string): string {
  return `${prefix}_${base32(randomBytes(17), 26)}`;
}

/** The message id for an idempotency key within a project; `generation` moves on when a key expires. */
export function messageIdForKey(projectId: string, key: string, generation: number): string {
  const digest = createHash('sha256').update(`${projectId}\n${key}\n${generation}`).digest();
  return `msg_${base32(digest, 26)}`;
}

/** JSON with object keys sorted, so that two equal bodies hash the same whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
