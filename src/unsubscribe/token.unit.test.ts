import { generateUnsubscribeSecret, signUnsubscribeToken, verifyUnsubscribeToken } from './token';

const SECRET = 'unit-test-secret-0123456789abcdefghijklmnop';
const MESSAGE_ID = 'msg_abcdefghijklmnopqrstuvwxyz';

describe('unsubscribe tokens', () => {
  const token = signUnsubscribeToken(MESSAGE_ID, SECRET);

  it('names the message it was signed for', () => {
    expect(verifyUnsubscribeToken(token, SECRET)).toBe(MESSAGE_ID);
  });

  it('is base64url(message id) and base64url(HMAC-SHA256), joined by a dot, safe in a URL path', () => {
    const [id, sig] = token.split('.');
    expect(Buffer.from(id ?? '', 'base64url').toString()).toBe(MESSAGE_ID);
    expect(Buffer.from(sig ?? '', 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('gives different messages different tokens', () => {
    expect(signUnsubscribeToken('msg_other', SECRET)).not.toBe(token);
  });

  const [idPart = '', sigPart = ''] = token.split('.');
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const otherId = Buffer.from('msg_zzzzzzzzzzzzzzzzzzzzzzzzzz').toString('base64url');
  const refused: [string, string, string?][] = [
    ['a token signed with another secret', signUnsubscribeToken(MESSAGE_ID, 'another-secret-0123456789abcdefghijkl')],
    ['a changed signature', `${idPart}.${flip(sigPart, 5)}`],
    ['another message id with this signature', `${otherId}.${sigPart}`],
    ['a truncated signature', `${idPart}.${sigPart.slice(0, 20)}`],
    ['a non-canonical base64url spelling of the id', `${idPart}=.${sigPart}`],
    ['a signature with a padding character', `${idPart}.${sigPart}=`],
    ['no dot', `${idPart}${sigPart}`],
    ['three parts', `${token}.x`],
    ['an empty id', `.${sigPart}`],
    ['an empty string', ''],
    ['garbage', 'not-a-token'],
  ];
  it.each(refused)('refuses %s', (_name, candidate) => {
    expect(verifyUnsubscribeToken(candidate, SECRET)).toBeUndefined();
  });

  it('generates secrets of 256 bits that differ each time', () => {
    const a = generateUnsubscribeSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateUnsubscribeSecret()).not.toBe(a);
  });
});
