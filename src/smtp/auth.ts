// AUTH PLAIN / LOGIN on the relay: the password is an API key with the `send` scope (the user name is not
// looked at; `apikey` is the convention). The key's project and environment travel with the session.
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { authenticateSecret, lastUseIsStale, touchLastUsed } from '../services/api-keys';
import { smtpReply } from './replies';

/** Who is sending on an authenticated relay session. */
export interface RelayUser {
  keyId: string;
  projectId: string;
  /** `live` or `test`: only test keys may send from the sandbox identity. */
  environment: string;
  defaultFrom?: string;
}

const SEND_SCOPE = 'send';

type AuthResult = { user: RelayUser; reply?: undefined } | { refused: string; reply: Error };
type AuthCallback = (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

export function relayAuth(deps: { prisma: Db; logger: Logger }, opts: { allowInsecureAuth: boolean }) {
  const { prisma, logger } = deps;
  return (auth: SMTPServerAuthentication, session: SMTPServerSession, callback: AuthCallback): void => {
    const ids = { session_id: session.id, remote_address: session.remoteAddress, method: auth.method };
    // smtp-server refuses AUTH before STARTTLS itself; this holds even if STARTTLS were ever not offered.
    if (!session.secure && !opts.allowInsecureAuth) {
      return callback(smtpReply(538, '5.7.11', 'Encryption required: issue STARTTLS before AUTH'));
    }
    void authenticate(auth.password ?? '').then(
      (result) => {
        if ('refused' in result) logger.info({ ...ids, reason: result.refused }, 'smtp auth refused');
        callback(result.reply ?? null, result.reply ? undefined : { user: result.user });
      },
      (err: unknown) => {
        logger.warn({ ...ids, err }, 'smtp auth could not reach the database');
        callback(smtpReply(454, '4.7.0', 'Temporary authentication failure; try again later'));
      },
    );
  };

  async function authenticate(secret: string): Promise<AuthResult> {
    const key = secret ? await authenticateSecret(prisma, secret) : undefined;
    if (!key) return { refused: 'invalid key', reply: smtpReply(535, '5.7.8', 'Authentication credentials invalid') };
    if (!key.scopes.includes(SEND_SCOPE) && !key.scopes.includes('admin')) {
      const reply = smtpReply(535, '5.7.8', `Authentication refused: this API key lacks the "${SEND_SCOPE}" scope`);
      return { refused: 'missing send scope', reply };
    }
    const project = await prisma.project.findUnique({ where: { id: key.projectId }, select: { defaultFrom: true } });
    const now = new Date();
    // last_used_at is bookkeeping: a failed write is logged and the session goes on.
    if (lastUseIsStale(key.lastUsedAt, now)) {
      await touchLastUsed(prisma, key.id, now).catch((err: unknown) => {
        logger.warn({ key_id: key.id, project_id: key.projectId, err }, 'could not record key use');
      });
    }
    const user: RelayUser = {
      keyId: key.id,
      projectId: key.projectId,
      environment: key.environment,
      ...(project?.defaultFrom ? { defaultFrom: project.defaultFrom } : {}),
    };
    return { user };
  }
}
