import net from 'node:net';
import nodemailer from 'nodemailer';
import { type Behaviour, type SmtpPeer, startSmtpPeer } from '../../test/support/smtp-peer';
import { classifySmtpError, deliveredOutcome, type SmtpOutcome } from './smtp-outcome';

const SHORT_TIMEOUTS_MS = { connectionTimeout: 1_000, greetingTimeout: 300, socketTimeout: 400 };

let peer: SmtpPeer;
let plainPeer: SmtpPeer;

beforeAll(async () => {
  peer = await startSmtpPeer();
  plainPeer = await startSmtpPeer({ smtputf8: false });
});
afterAll(async () => {
  await peer.stop();
  await plainPeer.stop();
});

/** Sends one message through real nodemailer and returns what it rejected with. */
async function sendError(port: number, to: string, options: Record<string, unknown> = {}): Promise<unknown> {
  const settings = { host: '127.0.0.1', port, secure: false, ...SHORT_TIMEOUTS_MS, ...options };
  const transport = nodemailer.createTransport(settings);
  try {
    await transport.sendMail({ from: 'app@sender.test', to, subject: 'Hello', text: 'Hello there' });
  } catch (err) {
    return err;
  } finally {
    transport.close();
  }
  throw new Error(`sending to ${to} unexpectedly succeeded`);
}

function viaPeer(behaviour: Behaviour, options?: Record<string, unknown>): () => Promise<unknown> {
  return async () => {
    const recipient = `r${Math.random().toString(36).slice(2)}@receiver.test`;
    peer.setBehaviour(recipient, behaviour);
    return sendError(peer.port, recipient, options);
  };
}

async function withRawServer<T>(onSocket: (socket: net.Socket) => void, use: (port: number) => Promise<T>): Promise<T> {
  const server = net.createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    return await use(port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const sockets: net.Socket[] = [];
afterAll(() => sockets.forEach((s) => s.destroy()));

/** Fields given as undefined in a case must be absent from the outcome, the others must match. */
function expectOutcome(outcome: SmtpOutcome, expected: Partial<SmtpOutcome>): void {
  const entries = Object.entries(expected);
  expect(outcome).toMatchObject(Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
  for (const [key] of entries.filter(([, v]) => v === undefined)) expect(outcome).not.toHaveProperty(key);
}

type Case = [string, () => Promise<unknown>, Partial<SmtpOutcome>];
const cases: Case[] = [
  [
    'a 550 5.1.1 at RCPT is a permanent unknown mailbox',
    viaPeer({ code: 550, enhanced: '5.1.1', message: 'No such user' }),
    { kind: 'permanent', responseCode: 550, enhancedStatus: '5.1.1', stage: 'RCPT TO', reason: 'mailbox_unavailable' },
  ],
  [
    'a bare 550 without an enhanced code falls back to the reply code',
    viaPeer({ code: 550, message: 'Mailbox unavailable' }),
    { kind: 'permanent', responseCode: 550, enhancedStatus: undefined, reason: 'mailbox_unavailable' },
  ],
  [
    'an enhanced 4.x.x code overrides a 5xx reply',
    viaPeer({ code: 550, enhanced: '4.2.2', message: 'Mailbox over quota, try later' }),
    { kind: 'temporary', responseCode: 550, enhancedStatus: '4.2.2', reason: 'mailbox_full' },
  ],
  [
    'an enhanced 5.x.x code overrides a 4xx reply',
    viaPeer({ code: 451, enhanced: '5.7.1', message: 'Relaying denied' }),
    { kind: 'permanent', responseCode: 451, reason: 'policy_rejected' },
  ],
  [
    'an IP address in the reply text is not read as an enhanced code',
    viaPeer({ code: 550, message: 'Blocked by list for 5.6.7.8' }),
    { kind: 'permanent', enhancedStatus: undefined, reason: 'mailbox_unavailable' },
  ],
  [
    'a greylisting 451 is temporary and says so',
    viaPeer({ code: 451, enhanced: '4.7.1', message: 'Greylisted, please try again in 5 minutes' }),
    { kind: 'temporary', responseCode: 451, enhancedStatus: '4.7.1', reason: 'greylisted' },
  ],
  [
    'a 452 at RCPT is temporary',
    viaPeer({ code: 452, message: 'Insufficient system storage' }),
    { kind: 'temporary', reason: 'insufficient_storage' },
  ],
  [
    'a 552 5.2.2 is a permanent full mailbox',
    viaPeer({ code: 552, enhanced: '5.2.2', message: 'Mailbox full' }),
    { kind: 'permanent', reason: 'mailbox_full' },
  ],
  [
    'a 554 5.7.1 after DATA is a permanent policy rejection at DATA',
    viaPeer({ code: 554, enhanced: '5.7.1', message: 'Message looks like spam', at: 'data' }),
    { kind: 'permanent', responseCode: 554, stage: 'DATA', reason: 'policy_rejected' },
  ],
  [
    'a 451 after DATA is temporary',
    viaPeer({ code: 451, enhanced: '4.3.0', message: 'Local error in processing', at: 'data' }),
    { kind: 'temporary', stage: 'DATA', reason: 'system_unavailable' },
  ],
  [
    'a 421 that closes the channel is a temporary unavailable service',
    viaPeer({ code: 421, message: 'Too many connections, closing' }),
    { kind: 'temporary', responseCode: 421, stage: 'CONN', reason: 'service_unavailable' },
  ],
  [
    'a connection dropped during DATA is temporary',
    viaPeer({ drop: 'data' }),
    { kind: 'temporary', responseCode: undefined, stage: 'CONN', reason: 'connection_lost' },
  ],
  [
    'a server that stops answering times out temporarily',
    viaPeer({ stall: true }),
    { kind: 'temporary', responseCode: undefined, reason: 'timeout' },
  ],
  [
    'a relay that must offer STARTTLS but does not is a temporary TLS failure, whatever its 500 says',
    viaPeer({ code: 250 }, { requireTLS: true }),
    { kind: 'temporary', responseCode: 500, stage: 'STARTTLS', reason: 'tls_failed' },
  ],
  [
    'implicit TLS against a plaintext server is a temporary TLS failure',
    viaPeer({ code: 250 }, { secure: true }),
    { kind: 'temporary', stage: 'CONN', reason: 'tls_failed' },
  ],
  [
    'a UTF-8 local part against a server without SMTPUTF8 is permanent',
    () => sendError(plainPeer.port, 'josé@exämple.com'),
    { kind: 'permanent', responseCode: 501, stage: 'RCPT TO', reason: 'smtputf8_unsupported' },
  ],
  [
    'a UTF-8 mailbox refused with 553 by an SMTPUTF8 server is permanent',
    async () => {
      peer.setBehaviour('zoë@receiver.test', { code: 553, message: 'Mailbox name not allowed' });
      return sendError(peer.port, 'zoë@receiver.test');
    },
    { kind: 'permanent', responseCode: 553, reason: 'smtputf8_unsupported' },
  ],
  [
    'an ASCII mailbox refused with 553 is an invalid address',
    viaPeer({ code: 553, message: 'Mailbox name not allowed' }),
    { kind: 'permanent', responseCode: 553, reason: 'invalid_address' },
  ],
  [
    'a refused connection is temporary',
    () => withRawServer(() => undefined, async (port) => port).then((closedPort) => sendError(closedPort, 'a@b.test')),
    { kind: 'temporary', stage: 'CONN', reason: 'connection_failed' },
  ],
  [
    'a server that never greets is a temporary greeting timeout',
    () => withRawServer((socket) => sockets.push(socket), (port) => sendError(port, 'a@b.test')),
    { kind: 'temporary', stage: 'CONN', reason: 'greeting_timeout' },
  ],
  [
    'a server that resets the connection is temporary',
    () => withRawServer((socket) => socket.destroy(), (port) => sendError(port, 'a@b.test')),
    { kind: 'temporary', stage: 'CONN', reason: 'connection_lost' },
  ],
  [
    'a greeting of 554 is temporary because no message was offered yet',
    () => withRawServer((socket) => socket.end('554 No SMTP service here\r\n'), (port) => sendError(port, 'a@b.test')),
    { kind: 'temporary', responseCode: 554, stage: 'CONN', reason: 'connection_rejected' },
  ],
  [
    'a message without recipients is a permanent envelope error',
    () => sendError(peer.port, ''),
    { kind: 'permanent', stage: 'API', reason: 'invalid_envelope' },
  ],
];

describe('classifySmtpError with real nodemailer errors', () => {
  it.each(cases)('%s', async (_name, produce, expected) => {
    expectOutcome(classifySmtpError(await produce()), expected);
  });
});

describe('classifySmtpError with values nodemailer does not produce here', () => {
  const synthetic: [string, unknown, Partial<SmtpOutcome>][] = [
    ['a thrown string is a temporary unknown error', 'boom', { kind: 'temporary', reason: 'unknown_error' }],
    ['null is a temporary unknown error', null, { kind: 'temporary', reason: 'unknown_error' }],
    [
      'a DNS failure is temporary',
      Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'EDNS', command: 'CONN' }),
      { kind: 'temporary', reason: 'dns_failed' },
    ],
    [
      'an expired certificate is a temporary TLS failure',
      Object.assign(new Error('certificate has expired'), { code: 'ESOCKET', originalCode: 'CERT_HAS_EXPIRED' }),
      { kind: 'temporary', reason: 'tls_failed' },
    ],
    [
      'refused relay credentials are temporary: the message is not at fault',
      Object.assign(new Error('Invalid login'), {
        code: 'EAUTH',
        response: '535 5.7.8 Bad credentials',
        command: 'AUTH PLAIN',
      }),
      { kind: 'temporary', responseCode: 535, enhancedStatus: '5.7.8', reason: 'auth_failed' },
    ],
    [
      'a multi-line reply takes the enhanced code of its lines',
      Object.assign(new Error('x'), {
        code: 'EENVELOPE',
        response: '550-5.1.1 The account\n550 5.1.1 does not exist',
        command: 'RCPT TO',
      }),
      { kind: 'permanent', enhancedStatus: '5.1.1', reason: 'mailbox_unavailable' },
    ],
  ];
  it.each(synthetic)('%s', (_name, err, expected) => {
    expectOutcome(classifySmtpError(err), expected);
  });
});

describe('deliveredOutcome', () => {
  it('records the 250 answer of a real send', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: peer.port, secure: false });
    const info = await transport.sendMail({ from: 'app@sender.test', to: 'ok@receiver.test', text: 'hi' });
    transport.close();
    expect(deliveredOutcome(info)).toEqual({
      kind: 'delivered',
      responseCode: 250,
      response: info.response,
      stage: 'DATA',
      reason: 'accepted',
    });
  });

  it('keeps an enhanced code of the 250 answer', () => {
    expect(deliveredOutcome({ response: '250 2.0.0 Ok: queued as ABC' })).toMatchObject({ enhancedStatus: '2.0.0' });
  });
});
