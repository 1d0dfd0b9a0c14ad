// AUTH PLAIN / LOGIN on the relay: the password is an API key with the `send` scope (the user name is not
// looked at; `apikey` is the convention). The key's project and environment travel with the session.
// Guessing is limited as on the HTTP API, in the same per-address budget (src/api/auth-failures.ts): past it an
// address gets 454 4.7.0 before its password is looked at, unless that key already authenticated from there.
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import { addressKey, AuthFailures, secretKey } from '../api/auth-failures';
import { limiterStore } from '../api/limiter-store';
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

type AuthResult = { user: RelayUser; reply?: undefined } | { refused: string; reply: Error; guess?: boolean };
type AuthCallback = (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

/**
 * The relay's onAuth. `authFailures` defaults to a budget in the process's limiter store, the one the HTTP API
 * counts its 401s in.
 */
export function relayAuth(
  deps: { prisma: Db; logger: Logger; authFailures?: AuthFailures },
  opts: { allowInsecureAuth: boolean },
) {
  const { prisma, logger } = deps;
  const failures = deps.authFailures ?? new AuthFailures(limiterStore());
  return (auth: SMTPServerAuthentication, session: SMTPServerSession, callback: AuthCallback): void => {
    const ids = { session_id: session.id, remote_address: session.remoteAddress, method: auth.method };
    // smtp-server refuses AUTH before STARTTLS itself; this holds even if STARTTLS were ever not offered.
    if (!session.secure && !opts.allowInsecureAuth) {
      return callback(smtpReply(538, '5.7.11', 'Encryption required: issue STARTTLS before AUTH'));
    }
    void limited(addressKey(session.remoteAddress), auth.password ?? '').then(
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

  /**
   * 454 4.7.0 (RFC 4954's temporary authentication failure, what large providers answer for too many logins)
   * rather than 421: the client may QUIT cleanly and try later, and the connection is not the unit counted.
   */
  async function limited(address: string, secret: string): Promise<AuthResult> {
    const secretHash = secret ? secretKey(secret) : undefined;
    if (await failures.refusal(address, secretHash)) {
      const reply = smtpReply(454, '4.7.0', 'Too many failed authentications from this address; try again later');
      return { refused: 'too many failed authentications', reply };
    }
    const result = await authenticate(secret);
    if (result.reply && result.guess) await failures.fail(address);
    if (!result.reply && secretHash) failures.trust(address, secretHash);
    return result;
  }

  async function authenticate(secret: string): Promise<AuthResult> {
    const key = secret ? await authenticateSecret(prisma, secret) : undefined;
    if (!key) {
      const reply = smtpReply(535, '5.7.8', 'Authentication credentials invalid');
      return { refused: 'invalid key', reply, guess: true };
    }
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
