// Guessing API keys over the SMTP relay: one client address that sent AUTH_FAILURES_PER_MINUTE wrong keys is
// refused (454 4.7.0) before its next key is looked at, a right key never used from there included, while a key
// that already authenticated from there keeps working; the budget is the one the HTTP API counts its 401s in.
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { AUTH_FAILURES_PER_MINUTE } from '../../src/api/rate-limit';
import { request, TEST_API_KEY, type SendarixProcess } from '../support/sendarix';
import { withPeerAndSendarix } from '../support/with-peer';

const SENDER = 'tests@sendarix.test';
let sx: SendarixProcess;
withPeerAndSendarix((world) => ({ sx } = world));

/** One relay session through STARTTLS with `pass` as the key. */
function send(pass: string) {
  return nodemailer
    .createTransport({
      host: '127.0.0.1',
      port: sx.smtpPort,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false }, // the embedded default's certificate is self-signed
      auth: { user: 'apikey', pass },
    })
    .sendMail({ from: SENDER, to: `guess-${randomUUID().slice(0, 8)}@example.com`, subject: 'x', text: 'x' });
}

type Outcome = { responseCode?: number; response?: string; command?: string; accepted?: unknown[] };
/** What a send ended with: nodemailer's info when accepted, its error (with the SMTP reply) when refused. */
const outcome = (p: Promise<unknown>): Promise<Outcome> =>
  p.then((info) => info as Outcome, (err: unknown) => err as Outcome);

it('refuses an address past its wrong keys, a right key too, except one that already authenticated there', async () => {
  const unused = await sx.api('POST', '/v1/keys', { label: 'never used over SMTP', scopes: ['send'] });
  expect(unused.status).toBe(201);
  // The bootstrap key authenticates from this address before the guessing starts.
  expect((await outcome(send(TEST_API_KEY))).accepted).toHaveLength(1);

  const codes: (number | undefined)[] = [];
  // One more than the budget: 21 wrong keys with the default of 20.
  for (let i = 0; i <= AUTH_FAILURES_PER_MINUTE; i++) {
    codes.push((await outcome(send(`sk_live_guess${randomUUID()}`))).responseCode);
  }
  expect(codes.slice(0, AUTH_FAILURES_PER_MINUTE)).toEqual(Array(AUTH_FAILURES_PER_MINUTE).fill(535));
  expect(codes[AUTH_FAILURES_PER_MINUTE]).toBe(454);

  const right = await outcome(send(unused.body.secret as string));
  expect(right.responseCode).toBe(454);
  expect(right.command).toMatch(/^AUTH/);
  expect(right.response).toMatch(/^454 4\.7\.0 Too many failed authentications/);
  expect((await outcome(send(TEST_API_KEY))).accepted).toHaveLength(1);

  // The HTTP API counts in the same budget: the address is refused there too, the same key included.
  const overHttp = await request(sx.url, 'GET', '/v1/projects/current', undefined, {
    authorization: `Bearer ${unused.body.secret as string}`,
  });
  expect(overHttp.status).toBe(429);
  expect(overHttp.body.error.code).toBe('rate_limited');
});
