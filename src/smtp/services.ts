// The two SMTP listeners of a Sendarix process: the relay ingress (SENDARIX_SMTP_PORT) and the inbound listener
// for bounces and complaints (SENDARIX_INBOUND_PORT). `npm start` runs them embedded, `npm run smtp` alone.
import path from 'node:path';
import { startInboundServer } from '../inbound/server';
import type { AcceptDeps } from '../services/accept-message';
import { startRelayServer } from './relay-server';
import { configuredTls, selfSignedTls, type TlsMaterial } from './tls';

export interface SmtpServices {
  smtpPort: number;
  inboundPort: number;
  stop(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

/**
 * Starts both listeners. `embedded` (npm start) may make a self-signed certificate into the data folder and
 * allows AUTH without STARTTLS on a loopback host unless configured otherwise; without it a certificate must be
 * configured and AUTH needs STARTTLS unless SENDARIX_SMTP_ALLOW_INSECURE_AUTH=true.
 */
export async function startSmtpServices(deps: AcceptDeps, opts: { embedded: boolean }): Promise<SmtpServices> {
  const { config } = deps;
  const tls = await tlsMaterial(deps, opts.embedded);
  const allowInsecureAuth =
    config.SENDARIX_SMTP_ALLOW_INSECURE_AUTH ?? (opts.embedded && isLoopback(config.SENDARIX_SMTP_HOST));
  const relay = await startRelayServer(deps, {
    port: config.SENDARIX_SMTP_PORT,
    host: config.SENDARIX_SMTP_HOST,
    tls,
    allowInsecureAuth,
    maxBytes: config.SENDARIX_SMTP_MAX_BYTES,
  });
  const inboundAt = { port: config.SENDARIX_INBOUND_PORT, host: config.SENDARIX_INBOUND_HOST, tls };
  const inbound = await startInboundServer(deps, inboundAt).catch(async (err: unknown) => {
      await relay.stop();
      throw err;
    });
  return {
    smtpPort: relay.port,
    inboundPort: inbound.port,
    stop: async () => {
      await Promise.all([relay.stop(), inbound.stop()]);
    },
  };
}

async function tlsMaterial(deps: AcceptDeps, embedded: boolean): Promise<TlsMaterial> {
  const configured = configuredTls(deps.config);
  if (configured) return configured;
  if (!embedded) {
    throw new Error('the SMTP relay needs SENDARIX_SMTP_TLS_CERT and SENDARIX_SMTP_TLS_KEY (PEM files) for STARTTLS');
  }
  return selfSignedTls(path.join(deps.config.dataDir, 'smtp-tls'), deps.config.SENDARIX_HOSTNAME);
}

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
