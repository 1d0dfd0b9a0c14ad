import { decodeSuppressionCursor, encodeSuppressionCursor } from './cursor';

describe('suppression cursors', () => {
  it.each([
    ['a plain address', 'alice@example.com'],
    ['an address with | and other atext', "a|b!#$%&'*+/=?^_`{}~-@example.com"],
    ['a UTF-8 local part', 'josé@xn--exmple-cua.com'],
  ])('round-trips %s', (_name, address) => {
    const createdAt = new Date('2026-04-19T14:30:00.123Z');
    expect(decodeSuppressionCursor(encodeSuppressionCursor({ createdAt, address }))).toEqual({ createdAt, address });
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['JSON that is not a pair', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad time', Buffer.from('["yesterday","a@example.com"]').toString('base64url')],
    ['an empty address', Buffer.from('["2026-04-19T14:30:00.000Z",""]').toString('base64url')],
    ['a number for the address', Buffer.from('["2026-04-19T14:30:00.000Z",5]').toString('base64url')],
  ])('refuses %s', (_name, cursor) => {
    expect(decodeSuppressionCursor(cursor)).toBeUndefined();
  });
});
