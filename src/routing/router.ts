// Where a message goes and how it is sent there: the project's first matching rule (an SMTP relay with its
// own credentials and TLS policy, direct MX delivery, or the sandbox), else the configured default route.
import { isIP } from 'node:net';
import type Mail from 'nodemailer/lib/mailer';
import type { Db } from '../db/client';
import { sha256Hex } from '../ids';
import { classifySmtpError, deliveredOutcome } from '../mail/smtp-outcome';
import type { TransportPool } from '../mail/transports';
import type { SmtpResult } from '../workflows/definitions';
import { deliverViaMx, noHostResult, resolveMxHosts, type MxLookups } from './mx';
import { RoutePolicyStore, routeTaskQueue } from './policy-store';
import { pickRule, ratePerSecond, type RouteRule } from './rules';

export interface ChosenRoute {
  name: string;
  /** Task queue of a paced rule; undefined means the main queue. */
  taskQueue?: string;
}

export interface SendOutcome {
  result: SmtpResult;
  /** The SMTP server's id for the message when it accepted it. */
  smtpMessageId?: string;
}

export class MessageRouter {
  private readonly policies: RoutePolicyStore;

  constructor(
    private readonly opts: {
      prisma: Db;
      transports: TransportPool;
      defaultRoute: string;
      dns: MxLookups;
      mxPort: number;
      hostname: string;
    },
  ) {
    this.policies = new RoutePolicyStore(opts.prisma);
  }

  async choose(projectId: string, asciiDomain: string): Promise<ChosenRoute> {
    const rule = pickRule(await this.policies.get(projectId), asciiDomain);
    if (!rule) return { name: this.opts.defaultRoute };
    return { name: rule.name, taskQueue: ratePerSecond(rule) === undefined ? undefined : routeTaskQueue(projectId, rule.name) };
  }

  /** Sends one message along a route; every SMTP answer comes back classified, never thrown. */
  async send(projectId: string, routeName: string, asciiDomain: string, mail: Mail.Options): Promise<SendOutcome> {
    const rule = (await this.policies.get(projectId))?.rules.find((r) => r.name === routeName);
    if (!rule) return this.sendWith(this.opts.transports.get(routeName), mail);
    if (rule.transport.type === 'mx') return this.sendDirect(asciiDomain, mail);
    if (rule.transport.type === 'sandbox') {
      if (!this.opts.transports.has('sandbox')) return { result: { kind: 'permanent', reason: 'sandbox_not_running' } };
      return this.sendWith(this.opts.transports.get('sandbox'), mail);
    }
    return this.sendWith(this.relayTransport(projectId, rule), mail);
  }

  private relayTransport(projectId: string, rule: RouteRule) {
    const t = rule.transport as Extract<RouteRule['transport'], { type: 'smtp' }>;
    return this.opts.transports.keyed(`rule:${projectId}:${rule.name}:${sha256Hex(JSON.stringify(t)).slice(0, 16)}`, () => ({
      host: t.host,
      port: t.port,
      secure: t.tls === 'implicit',
      requireTLS: t.tls === 'required',
      ignoreTLS: t.tls === 'none',
      auth: t.username ? { user: t.username, pass: t.password ?? '' } : undefined,
      name: this.opts.hostname,
    }));
  }

  private async sendDirect(asciiDomain: string, mail: Mail.Options): Promise<SendOutcome> {
    const hosts = await resolveMxHosts(this.opts.dns, asciiDomain);
    if (hosts.kind !== 'hosts') return { result: noHostResult(hosts) };
    // Exchanger names resolve through the same configured resolver, and each address is one try.
    const targets: { host: string; address: string }[] = [];
    for (const host of hosts.hosts) {
      for (const address of await addressesOf(this.opts.dns, host)) targets.push({ host, address });
    }
    if (targets.length === 0) return { result: { kind: 'temporary', reason: 'mx_host_unresolvable' } };
    let smtpMessageId: string | undefined;
    const result = await deliverViaMx(targets, async ({ host, address }) => {
        // Opportunistic STARTTLS, as between mail servers: an MX's certificate is rarely checked.
        const transport = this.opts.transports.keyed(`mx:${address}:${this.opts.mxPort}`, () => ({
          host: address,
          port: this.opts.mxPort,
          name: this.opts.hostname,
          tls: { servername: host, rejectUnauthorized: false },
        }));
        const outcome = await this.sendWith(transport, mail);
        smtpMessageId = outcome.smtpMessageId;
        return outcome.result;
    });
    return { result, smtpMessageId };
  }

  private async sendWith(transport: ReturnType<TransportPool['get']>, mail: Mail.Options): Promise<SendOutcome> {
    try {
      const info = await transport.sendMail(mail);
      return { result: deliveredOutcome({ response: String(info.response ?? '') }), smtpMessageId: info.messageId };
    } catch (err) {
      return { result: classifySmtpError(err) };
    }
  }
}

async function addressesOf(dns: MxLookups, host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  const [v4, v6] = await Promise.all([dns.resolve4(host).catch(() => []), dns.resolve6(host).catch(() => [])]);
  return [...v4, ...v6];
}
