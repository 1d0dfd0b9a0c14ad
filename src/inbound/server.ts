// The inbound listener: where receiving servers send bounces (to the Return-Path `bounces+<id>@<bounce domain>`)
// and feedback loops send complaints. No AUTH; it takes mail for addresses under the bounce domain
// (SENDARIX_HOSTNAME) only, so it can never be used to relay anywhere.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { receiveMessage } from '../smtp/receive';
import { smtpReply, temporarilyUnavailable } from '../smtp/replies';
import type { RunningSmtpServer } from '../smtp/relay-server';
import type { TlsMaterial } from '../smtp/tls';
import { handleInbound, type InboundDeps } from './handle';
import { isBounceDomainAddress } from './match';

/** Reports may carry the whole original message, so the limit is the relay's own default. */
const MAX_INBOUND_BYTES = 50 * 1024 * 1024;
const MAX_RECIPIENTS = 50;
const CLOSE_TIMEOUT_MS = 2_000;

export async function startInboundServer(
  deps: InboundDeps,
  opts: { port: number; host: string; tls: TlsMaterial },
): Promise<RunningSmtpServer> {
  const bounceDomain = deps.config.SENDARIX_HOSTNAME;
  const logger = deps.logger.child({ component: 'inbound' });
  const handlerDeps = { ...deps, logger };

  const server = new SMTPServer({
    name: bounceDomain,
    banner: 'Sendarix inbound (bounces and complaints)',
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['AUTH'],
    authOptional: true,
    // Receiving servers upgrade opportunistically; a self-signed certificate is fine for that.
    key: opts.tls.key,
    cert: opts.tls.cert,
    size: MAX_INBOUND_BYTES,
    maxRecipients: MAX_RECIPIENTS,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onRcptTo(address, _session, callback) {
      const ours = isBounceDomainAddress(address.address, bounceDomain);
      const refusal = `Relay refused: this server takes mail for @${bounceDomain} only`;
      callback(ours ? undefined : smtpReply(550, '5.7.1', refusal));
    },
    onData(stream, session, callback) {
      void inboundData(stream, session.envelope.rcptTo.map((r) => r.address)).then(
        (text) => callback(null, text),
        (reply: Error) => callback(reply),
      );
    },
  });

  async function inboundData(stream: SMTPServerDataStream, rcptTo: string[]): Promise<string> {
    const raw = await receiveMessage(stream).catch((err: unknown) => {
      logger.warn({ err }, 'inbound data stream failed');
      throw temporarilyUnavailable('the server');
    });
    if (stream.sizeExceeded) throw smtpReply(552, '5.3.4', `Message exceeds ${MAX_INBOUND_BYTES} bytes`);
    return handleInbound(handlerDeps, raw, rcptTo);
  }
  server.on('error', (err) => logger.debug({ err }, 'inbound connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  logger.info({ port, host: opts.host, bounce_domain: bounceDomain }, 'inbound smtp listening');
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
