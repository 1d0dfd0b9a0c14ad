// A real SMTP server on loopback that integration tests deliver to. Each recipient can be told how to answer, so
// tests exercise nodemailer's real error paths (rejections, greylisting, dropped and stalled connections).
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { domainToASCII } from 'node:url';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export type RejectCode = 421 | 450 | 451 | 452 | 550 | 552 | 553 | 554;
export type Behaviour =
  | { code: 250 }
  | { code: RejectCode; message?: string; enhanced?: string; at?: 'rcpt' | 'data' }
  | { sequence: Behaviour[] }
  | { drop: 'data' }
  | { stall: true };

export interface ReceivedMail {
  /** Addresses as sent on the wire: smtp-server decodes A-label domains, they are re-encoded here. */
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpPeer {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** DATA transactions answered with 250. */
  readonly dataCount: number;
  /** RCPT TO commands seen per recipient, keyed by lowercased local part and A-label domain. */
  rcptAttempts: Map<string, number>;
  setBehaviour(recipient: string, behaviour: Behaviour): void;
  /** Resolves with the first received message matching the predicate, already received or still to come. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Resolves once the condition holds; it is re-checked after every RCPT and DATA. */
  waitUntil(condition: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 200;
const NON_ASCII = /[^\p{ASCII}]/u;

type Settled = Exclude<Behaviour, { sequence: Behaviour[] }>;

function wireAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  return address.slice(0, at) + '@' + (domainToASCII(domain) || domain).toLowerCase();
}

const keyOf = (address: string): string => wireAddress(address).toLowerCase();

function settle(behaviour: Behaviour, attempt: number): Settled {
  if (!('sequence' in behaviour)) return behaviour;
  const step = behaviour.sequence[Math.min(attempt, behaviour.sequence.length) - 1] ?? { code: 250 };
  return settle(step, attempt);
}

function smtpError(code: number, enhanced: string | undefined, message: string): Error {
  return Object.assign(new Error(enhanced ? `${enhanced} ${message}` : message), { responseCode: code });
}

function rejection(b: Settled): Error | undefined {
  if (!('code' in b) || b.code === 250) return undefined;
  return smtpError(b.code, b.enhanced, b.message ?? `Rejected by test peer (${b.code})`);
}

/** Starts the peer on 127.0.0.1 with an OS-chosen port; `smtputf8: false` makes it a server without SMTPUTF8. */
export async function startSmtpPeer(opts: { smtputf8?: boolean } = {}): Promise<SmtpPeer> {
  const smtputf8 = opts.smtputf8 ?? true;
  const events = new EventEmitter();
  const behaviours = new Map<string, Behaviour>();
  const rcptAttempts = new Map<string, number>();
  const received: ReceivedMail[] = [];
  const sockets = new Map<number, Socket>();
  // Behaviours are settled at RCPT time and kept for the DATA of the same transaction.
  const pending = new WeakMap<SMTPServerSession, Settled[]>();
  let dataCount = 0;

  const dropConnection = (session: SMTPServerSession): void => {
    sockets.get(session.remotePort)?.destroy();
  };

  const server = new SMTPServer({
    name: 'smtp-peer.test',
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    hideSMTPUTF8: !smtputf8,
    // Rejections carry the enhanced code a test asked for, never one smtp-server would add on its own.
    hideENHANCEDSTATUSCODES: true,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onMailFrom(address, session, callback) {
      pending.set(session, []);
      callback(refuseUtf8(address, 'sender'));
    },
    onRcptTo(address, session, callback) {
      const key = keyOf(address.address);
      const attempt = (rcptAttempts.get(key) ?? 0) + 1;
      rcptAttempts.set(key, attempt);
      events.emit('change');
      const utf8Error = refuseUtf8(address, 'recipient');
      if (utf8Error) return callback(utf8Error);
      const behaviour = settle(behaviours.get(key) ?? { code: 250 }, attempt);
      if ('stall' in behaviour) return;
      const atRcpt = 'code' in behaviour && !('at' in behaviour && behaviour.at === 'data');
      if (!atRcpt) pending.get(session)?.push(behaviour);
      callback(atRcpt ? rejection(behaviour) : undefined);
      // A 421 announces that the server closes the channel, as real servers then do.
      if (atRcpt && 'code' in behaviour && behaviour.code === 421) sockets.get(session.remotePort)?.end();
    },
    onData(stream, session, callback) {
      const atData = pending.get(session)?.[0];
      if (atData && 'drop' in atData) {
        stream.once('data', () => dropConnection(session));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = atData ? rejection(atData) : undefined;
        if (refusal) return callback(refusal);
        const raw = Buffer.concat(chunks);
        const envelope = {
          from: session.envelope.mailFrom ? wireAddress(session.envelope.mailFrom.address) : '',
          to: session.envelope.rcptTo.map((r) => wireAddress(r.address)),
        };
        void simpleParser(raw).then(
          (parsed) => {
            received.push({ envelope, raw, parsed });
            dataCount++;
            callback(null, `OK: queued as peer-${dataCount}`);
            events.emit('change');
          },
          (err: unknown) => callback(smtpError(451, '4.3.0', `peer could not parse the message: ${String(err)}`)),
        );
      });
    },
  });

  // Without SMTPUTF8 a non-ASCII mailbox is a syntax error; smtp-server alone would accept it, so the peer refuses.
  function refuseUtf8(address: SMTPServerAddress, role: 'sender' | 'recipient'): Error | undefined {
    if (smtputf8 || !NON_ASCII.test(wireAddress(address.address))) return undefined;
    return smtpError(501, '5.1.3', `Bad ${role} address syntax`);
  }

  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const waitUntil = (condition: () => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        events.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        events.off('change', check);
        reject(new Error(`smtp peer: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      events.on('change', check);
      check();
    });

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    get dataCount() {
      return dataCount;
    },
    rcptAttempts,
    setBehaviour: (recipient, behaviour) => behaviours.set(keyOf(recipient), behaviour),
    waitUntil,
    async waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      let match: ReceivedMail | undefined;
      await waitUntil(() => (match = received.find(predicate)) !== undefined, timeoutMs);
      return match as ReceivedMail;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.values()) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
