// One inbound message, from raw MIME to the SMTP reply: read the report, find its message, apply the outcome,
// and keep whatever could not be used. 250 means the report is applied or kept; 451 means neither happened
// yet (database down, or the message's workflow still running) and the sender should try again.
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { DependencyUnavailable } from '../errors';
import type { Logger } from '../logger';
import { smtpReply, temporarilyUnavailable } from '../smtp/replies';
import { applyOutcome, MessageStillInProgress } from './apply';
import { reportMessageId } from './match';
import { outcomeOf } from './outcome';
import { parseReport } from './report';
import { keepUnparsed } from './unparsed';

export interface InboundDeps {
  prisma: Db;
  temporal: Client;
  config: Config;
  logger: Logger;
}

/** Answers the 250 text, or rejects with the SMTP error reply. */
export async function handleInbound(deps: InboundDeps, raw: Buffer, rcptTo: string[]): Promise<string> {
  const { logger, config } = deps;
  const keep = async (reason: string, messageId?: string): Promise<string> => {
    const file = await keepUnparsed(config.dataDir, raw);
    const ids = messageId ? { message_id: messageId } : {};
    logger.warn({ ...ids, rcpt_to: rcptTo, reason, file }, 'inbound mail kept unparsed');
    return '2.0.0 Kept for review';
  };
  try {
    const report = await parseReport(raw);
    if (report.kind === 'unparseable') return await keep(report.reason);
    const messageId = reportMessageId(report, rcptTo, config.SENDARIX_HOSTNAME);
    if (!messageId) return await keep(`${report.kind} report names no message of this server`);
    const outcome = outcomeOf(report);
    if (outcome.kind === 'none') {
      logger.info({ message_id: messageId, reason: outcome.reason }, 'inbound report needs no action');
      return `2.0.0 Nothing to record for ${messageId}`;
    }
    const result = await applyOutcome(deps, messageId, outcome);
    if (!result.applied) return await keep(result.reason, messageId);
    const applied = { event: `message.${result.event}`, newly_suppressed: result.newlySuppressed };
    logger.info({ message_id: messageId, ...applied }, 'inbound report applied');
    return `2.0.0 Recorded ${result.event} for ${messageId}`;
  } catch (err) {
    if (err instanceof MessageStillInProgress) {
      logger.info({ message_id: err.messageId }, 'inbound report deferred: message still in progress');
      throw smtpReply(451, '4.3.0', `${err.messageId} is still being sent; try again later`);
    }
    if (err instanceof DependencyUnavailable) {
      logger.warn({ rcpt_to: rcptTo, err }, 'inbound report not applied: database unavailable');
      throw temporarilyUnavailable(err.dependency);
    }
    logger.error({ rcpt_to: rcptTo, err }, 'inbound mail failed');
    throw temporarilyUnavailable('the server');
  }
}
