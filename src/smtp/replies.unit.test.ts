import { ApiError, DependencyUnavailable, validationError } from '../errors';
import { acceptedText, replyForAcceptError, smtpReply } from './replies';

const unverifiedFrom = validationError([
  { field: 'from', code: 'unverified_sender_domain', message: 'from: x.test is not verified' },
]);
const twoFields = validationError([
  { field: 'subject', code: 'required', message: 'subject is required' },
  { field: 'html', code: 'required', message: 'give html or text' },
]);

describe('replyForAcceptError', () => {
  const outage = new DependencyUnavailable('temporal', new Error('x'));
  const reused = new ApiError('idempotency_key_reused', 'used with a different body');
  const cases: [string, unknown, number | undefined, RegExp | undefined][] = [
    ['a dependency outage is 451', outage, 451, /^4\.3\.0 temporal is unavailable/],
    ['an unverified From is 550 5.7.1', unverifiedFrom, 550, /^5\.7\.1 Message refused: from: x\.test is not/],
    ['other field errors are 550 5.6.0', twoFields, 550, /^5\.6\.0 Message refused: subject is .*; html: give/],
    ['a reused idempotency key is 550', reused, 550, /^5\.6\.0 .*a different body$/],
    ['an unforeseen error is left to the caller', new Error('boom'), undefined, undefined],
  ];
  it.each(cases)('%s', (_name, err, code, text) => {
    const reply = replyForAcceptError(err);
    expect(reply?.responseCode).toBe(code);
    if (text) expect(reply?.message).toMatch(text);
  });
});

describe('smtp replies', () => {
  it('keep to one line of bounded length', () => {
    const reply = smtpReply(550, '5.6.0', `a\r\nb ${'x'.repeat(1000)}`);
    expect(reply.message).not.toMatch(/[\r\n]/);
    expect(reply.message.length).toBeLessThanOrEqual(400);
  });

  it('name the accepted message ids', () => {
    expect(acceptedText(['msg_a', 'msg_b'])).toBe('2.0.0 Accepted: msg_a msg_b');
  });
});
