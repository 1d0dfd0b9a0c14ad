// Opaque cursors of the suppression list: the last entry's creation time and address. The address may hold any
// atext character (`|` included), so the pair is JSON, then base64url.

export interface SuppressionCursor {
  createdAt: Date;
  address: string;
}

export function encodeSuppressionCursor(row: SuppressionCursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.address])).toString('base64url');
}

/** The position a cursor names, or undefined for one this API did not give. */
export function decodeSuppressionCursor(cursor: string): SuppressionCursor | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [time, address] = value as unknown[];
  if (typeof time !== 'string' || typeof address !== 'string' || address === '') return undefined;
  const createdAt = new Date(time);
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, address };
}
