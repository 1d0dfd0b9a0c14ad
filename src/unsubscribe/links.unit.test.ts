import type { PreparedMessage } from '../services/message-request';
import {
  listUnsubscribeHeaders,
  publicBaseUrl,
  unsubscribeLinks,
  withListUnsubscribe,
  type UnsubscribeConfig,
} from './links';
import { verifyUnsubscribeToken } from './token';

const SECRET = 'links-unit-test-secret-0123456789abcdefghij';
const base: UnsubscribeConfig = { HOST: '127.0.0.1', PORT: 3000, SENDARIX_UNSUBSCRIBE_SECRET: SECRET };

describe('publicBaseUrl', () => {
  it.each([
    ['SENDARIX_PUBLIC_URL when set', { SENDARIX_PUBLIC_URL: 'https://mail.example.com' }, 'https://mail.example.com'],
    ['it minus a final slash', { SENDARIX_PUBLIC_URL: 'https://mail.example.com/x/' }, 'https://mail.example.com/x'],
    ['http://HOST:PORT otherwise', {}, 'http://127.0.0.1:3000'],
    ['an IPv6 HOST in brackets', { HOST: '::1', PORT: 8080 }, 'http://[::1]:8080'],
  ])('uses %s', (_name, change, expected) => {
    expect(publicBaseUrl({ ...base, ...change })).toBe(expected);
  });
});

describe('unsubscribeLinks', () => {
  it('points at /unsubscribe/<token>, a token that names the message', () => {
    const links = unsubscribeLinks('msg_one', { ...base, SENDARIX_PUBLIC_URL: 'https://mail.example.com' });
    const match = /^https:\/\/mail\.example\.com\/unsubscribe\/([\w-]+\.[\w-]+)$/.exec(links?.url ?? '');
    expect(verifyUnsubscribeToken(match?.[1] ?? '', SECRET)).toBe('msg_one');
    expect(links).not.toHaveProperty('mailto');
  });

  it('adds a mailto with the token in the subject when a mailbox is configured', () => {
    const links = unsubscribeLinks('msg_one', { ...base, SENDARIX_UNSUBSCRIBE_MAILTO: 'unsub@example.com' });
    const token = links?.url.split('/').pop() ?? '';
    expect(links?.mailto).toBe(`mailto:unsub@example.com?subject=unsubscribe%20${token}`);
  });

  it('makes no links without a secret', () => {
    expect(unsubscribeLinks('msg_one', { ...base, SENDARIX_UNSUBSCRIBE_SECRET: undefined })).toBeUndefined();
  });
});

describe('listUnsubscribeHeaders', () => {
  it('writes both RFC 8058 headers, HTTPS first', () => {
    const links = { url: 'https://x.example/unsubscribe/t', mailto: 'mailto:u@x.example?subject=s' };
    expect(listUnsubscribeHeaders(links)).toEqual({
      'List-Unsubscribe': '<https://x.example/unsubscribe/t>, <mailto:u@x.example?subject=s>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('writes nothing without links', () => {
    expect(listUnsubscribeHeaders(undefined)).toEqual({});
  });
});

describe('withListUnsubscribe', () => {
  const prepared = (listUnsubscribe: boolean) =>
    ({ listUnsubscribe, warnings: [], content: { headers: {} } }) as unknown as PreparedMessage;

  it('stores the links in the content of a message that wants them', () => {
    const ready = withListUnsubscribe(prepared(true), 'msg_one', base);
    expect(ready.content.listUnsubscribe?.url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/unsubscribe\//);
  });

  it('leaves a message that does not want them alone', () => {
    const message = prepared(false);
    expect(withListUnsubscribe(message, 'msg_one', base)).toBe(message);
  });

  it('warns, and adds nothing, when no secret is configured', () => {
    const ready = withListUnsubscribe(prepared(true), 'msg_one', { ...base, SENDARIX_UNSUBSCRIBE_SECRET: undefined });
    expect(ready.content.listUnsubscribe).toBeUndefined();
    expect(ready.warnings).toEqual([expect.objectContaining({ code: 'unsubscribe_unavailable' })]);
  });
});
