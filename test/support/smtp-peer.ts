// A real SMTP server on loopback that integration tests deliver to. Each recipient can be told how to answer, so
// tests exercise nodemailer's real error paths (rejections, greylisting, dropped and stalled connections).
import type { AddressInfo, Socket } from 'node:net';
import { domainToASCII } from 'node:url';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export type RejectCode = 421 | 450 | 451 | 452 | 550 | 552 | 553 | 554;
export type Behaviour =
  | { code: 250 }
  | { code: RejectCode; message?: string; enhanced?: string; at?: 'rcpt' | 'data' }
  | { sequence: Behaviour[] } // attempt n gets step n, the last step repeats
  | { drop: 'data' }
  | { stall: true };

export interface ReceivedMail {
  envelope: { from: string; to: string[] }; // as on the wire: smtp-server decodes A-labels, they are re-encoded here
  raw: Buffer;
  parsed: ParsedMail;
  /** When the peer answered 250 (ms since the epoch). */
  acceptedAt: number;
}

export interface SmtpPeer {
  port: number;
  url: string;
  received: ReceivedMail[];
  readonly dataCount: number; // DATA transactions answered with 250
  rcptAttempts: Map<string, number>; // RCPT TO commands per recipient, keyed by lowercased address, A-label domain
  setBehaviour(recipient: string, behaviour: Behaviour): void;
  /** Resolves with the first received message matching the predicate, already received or still to come. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Resolves once the condition holds (checked every 10 ms), e.g. on rcptAttempts or dataCount. */
  waitUntil(condition: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 200;
const POLL_INTERVAL_MS = 10;
const NON_ASCII = /[^\p{ASCII}]/u;

type Settled = Exclude<Behaviour, { sequence: Behaviour[] }>;

function wireAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  return at < 0 ? address : address.slice(0, at) + '@' + (domainToASCII(domain) || domain).toLowerCase();
}
const keyOf = (address: string): string => wireAddress(address).toLowerCase();

function settle(behaviour: Behaviour, attempt: number): Settled {
  if (!('sequence' in behaviour)) return behaviour;
  return settle(behaviour.sequence[Math.min(attempt, behaviour.sequence.length) - 1] ?? { code: 250 }, attempt);
}

const smtpError = (code: number, enhanced: string | undefined, message: string): Error =>
  Object.assign(new Error(enhanced ? `${enhanced} ${message}` : message), { responseCode: code });

function rejection(b: Settled): Error | undefined {
  if (!('code' in b) || b.code === 250) return undefined;
  return smtpError(b.code, b.enhanced, b.message ?? `Rejected by test peer (${b.code})`);
}

async function poll(condition: () => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`smtp peer: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Starts the peer on 127.0.0.1 with an OS-chosen port; `smtputf8: false` makes it a server without SMTPUTF8. */
/** `host` and `port` let several peers share one port on different loopback addresses, as MX hosts do. */
export async function startSmtpPeer(opts: { smtputf8?: boolean; host?: string; port?: number } = {}): Promise<SmtpPeer> {
  const smtputf8 = opts.smtputf8 ?? true;
  const behaviours = new Map<string, Behaviour>();
  const rcptAttempts = new Map<string, number>();
  const received: ReceivedMail[] = [];
  const sockets = new Map<number, Socket>();
  // Behaviours are settled at RCPT time; data-stage ones wait for the DATA of the transaction, the first one decides.
  const pending = new WeakMap<SMTPServerSession, Settled[]>();
  let dataCount = 0;
  const socketOf = (session: SMTPServerSession): Socket | undefined => sockets.get(session.remotePort);

  // Without SMTPUTF8 a non-ASCII mailbox is a syntax error; smtp-server alone would accept it, so the peer refuses.
  const refuseUtf8 = (address: SMTPServerAddress, role: string): Error | undefined =>
    smtputf8 || !NON_ASCII.test(wireAddress(address.address))
      ? undefined
      : smtpError(501, '5.1.3', `Bad ${role} address syntax`);

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
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onMailFrom(address, session, callback) {
      pending.set(session, []);
      callback(refuseUtf8(address, 'sender'));
    },
    onRcptTo(address, session, callback) {
      const key = keyOf(address.address);
      const attempt = (rcptAttempts.get(key) ?? 0) + 1;
      rcptAttempts.set(key, attempt);
      const utf8Error = refuseUtf8(address, 'recipient');
      if (utf8Error) return callback(utf8Error);
      const behaviour = settle(behaviours.get(key) ?? { code: 250 }, attempt);
      if ('stall' in behaviour) return;
      const atRcpt = 'code' in behaviour && !('at' in behaviour && behaviour.at === 'data');
      if (!atRcpt) pending.get(session)?.push(behaviour);
      callback(atRcpt ? rejection(behaviour) : undefined);
      // A 421 announces that the server closes the channel, as real servers then do.
      if (atRcpt && behaviour.code === 421) socketOf(session)?.end();
    },
    onData(stream, session, callback) {
      const atData = pending.get(session)?.[0];
      if (atData && 'drop' in atData) return void stream.once('data', () => socketOf(session)?.destroy());
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = atData ? rejection(atData) : undefined;
        if (refusal) {
          callback(refusal);
          if (atData && 'code' in atData && atData.code === 421) socketOf(session)?.end();
          return;
        }
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? wireAddress(session.envelope.mailFrom.address) : '';
        const envelope = { from, to: session.envelope.rcptTo.map((r) => wireAddress(r.address)) };
        void simpleParser(raw).then(
          (parsed) => {
            received.push({ envelope, raw, parsed, acceptedAt: Date.now() });
            dataCount++;
            callback(null, `OK: queued as peer-${dataCount}`);
                },
          (err: unknown) => callback(smtpError(451, '4.3.0', `peer could not parse the message: ${String(err)}`)),
        );
      });
    },
  });
  // Clients in tests reset connections on purpose; smtp-server reports that as an error event, which is no failure.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    url: `smtp://${opts.host ?? '127.0.0.1'}:${port}`,
    received,
    get dataCount() {
      return dataCount;
    },
    rcptAttempts,
    setBehaviour: (recipient, behaviour) => void behaviours.set(keyOf(recipient), behaviour),
    waitUntil: poll,
    async waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      let match: ReceivedMail | undefined;
      await poll(() => (match = received.find(predicate)) !== undefined, timeoutMs);
      return match as ReceivedMail;
    },
    stop: () => {
      for (const socket of sockets.values()) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
