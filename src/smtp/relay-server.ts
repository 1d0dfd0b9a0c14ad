// The SMTP relay ingress: legacy tools submit mail with AUTH (an API key as the password) and every accepted
// recipient becomes a message of the same pipeline as POST /v1/messages. Nothing is answered 250 before it is
// stored and its workflow started; a missing dependency is 451, so the client keeps the message and retries.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { isSenderDomainAllowed } from '../domains/sender-policy';
import { parseMailbox } from '../mail/address';
import type { AcceptDeps } from '../services/accept-message';
import { relayAuth, type RelayUser } from './auth';
import { receiveMessage } from './receive';
import { relayMessage } from './relay-message';
import { acceptedText, replyForAcceptError, smtpReply, temporarilyUnavailable } from './replies';
import type { TlsMaterial } from './tls';

export interface RelayServerOptions {
  port: number;
  host: string;
  tls: TlsMaterial;
  allowInsecureAuth: boolean;
  maxBytes: number;
}

export interface RunningSmtpServer {
  port: number;
  stop(): Promise<void>;
}

/** Recipients of one DATA; past this the client gets 452 and sends the rest in another transaction. */
const MAX_RECIPIENTS = 100;
const CLOSE_TIMEOUT_MS = 2_000;

export async function startRelayServer(deps: AcceptDeps, opts: RelayServerOptions): Promise<RunningSmtpServer> {
  const { prisma, config } = deps;
  const logger = deps.logger.child({ component: 'smtp-relay' });
  const userOf = (session: SMTPServerSession) => session.user as RelayUser;

  const server = new SMTPServer({
    name: config.SENDARIX_HOSTNAME,
    banner: 'Sendarix SMTP relay',
    logger: false,
    disableReverseLookup: true,
    key: opts.tls.key,
    cert: opts.tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: opts.allowInsecureAuth,
    size: opts.maxBytes,
    maxRecipients: MAX_RECIPIENTS,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onAuth: relayAuth({ prisma, logger }, { allowInsecureAuth: opts.allowInsecureAuth }),
    onMailFrom(address, session, callback) {
      const user = userOf(session);
      const parsed = parseMailbox(address.address);
      if (!parsed.ok) return callback(smtpReply(553, '5.1.7', `Sender address refused: ${parsed.message}`));
      const { domain, asciiDomain } = parsed.mailbox;
      const policy = { ...user, hostname: config.SENDARIX_HOSTNAME };
      const refused = `Sender refused: ${domain} is not a verified sender domain of this project; `
        + 'add and verify it at /v1/domains';
      void isSenderDomainAllowed(prisma, policy, asciiDomain).then(
        (allowed) => callback(allowed ? undefined : smtpReply(553, '5.7.1', refused)),
        (err: unknown) => {
          logger.warn({ project_id: user.projectId, err }, 'sender check could not reach the database');
          callback(temporarilyUnavailable('database'));
        },
      );
    },
    onRcptTo(address, _session, callback) {
      const parsed = parseMailbox(address.address);
      callback(parsed.ok ? undefined : smtpReply(553, '5.1.3', `Recipient address refused: ${parsed.message}`));
    },
    onData(stream, session, callback) {
      void deliverData(stream, session).then((text) => callback(null, text), (reply: Error) => callback(reply));
    },
  });

  /** Answers the 250 text, or rejects with the SMTP error reply. */
  async function deliverData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const raw = await receiveMessage(stream).catch((err: unknown) => {
      logger.warn({ err }, 'smtp data stream failed');
      throw temporarilyUnavailable('the server');
    });
    if (stream.sizeExceeded) throw smtpReply(552, '5.3.4', `Message exceeds the size limit of ${opts.maxBytes} bytes`);
    const user = userOf(session);
    const envelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      rcptTo: session.envelope.rcptTo.map((r) => r.address),
    };
    const ids = { project_id: user.projectId, key_id: user.keyId, recipients: envelope.rcptTo.length };
    try {
      const messageIds = await relayMessage(deps, user, envelope, raw);
      logger.info({ ...ids, message_ids: messageIds }, 'smtp message accepted');
      return acceptedText(messageIds);
    } catch (err) {
      const reply = replyForAcceptError(err);
      if (reply) logger.info({ ...ids, reply: reply.message, smtp_code: reply.responseCode }, 'smtp message refused');
      else logger.error({ ...ids, err }, 'smtp message failed');
      throw reply ?? temporarilyUnavailable('the server');
    }
  }

  server.on('error', (err) => logger.debug({ err }, 'smtp relay connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const settings = { allow_insecure_auth: opts.allowInsecureAuth, max_bytes: opts.maxBytes };
  logger.info({ port, host: opts.host, ...settings }, 'smtp relay listening');
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

