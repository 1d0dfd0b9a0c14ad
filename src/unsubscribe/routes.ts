// The one-click unsubscribe endpoint, outside /v1 and without an API key: the signed token is the credential.
// GET shows a page and changes nothing (mail scanners fetch links); POST with `List-Unsubscribe=One-Click`
// suppresses the recipient and records an `unsubscribed` event on the message. An unknown or forged token is 404.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Message } from '../../generated/prisma/client';
import type { ApiDeps } from '../api/deps';
import { addSuppression, ignoresSubaddress } from '../api/suppressions/store';
import { ApiError, DependencyUnavailable } from '../errors';
import { normalizeForSuppression, parseMailbox } from '../mail/address';
import { recordExternalEvent } from '../services/external-events';
import { fanOutStoredEvent } from '../webhooks/stored-event';
import { readForm } from './form';
import { ONE_CLICK, UNSUBSCRIBE_PATH } from './links';
import { CONFIRM_PAGE, DONE_PAGE, sendPage } from './page';
import { verifyUnsubscribeToken } from './token';

const UNSUBSCRIBED_EVENT = 'unsubscribed';

export function unsubscribeRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const { prisma, logger } = deps;
  const db = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      throw new DependencyUnavailable('database', err);
    });

  router.get(`${UNSUBSCRIBE_PATH}/:token`, async (ctx) => {
    await messageOf(ctx);
    sendPage(ctx, CONFIRM_PAGE);
  });

  router.post(`${UNSUBSCRIBE_PATH}/:token`, async (ctx) => {
    const message = await messageOf(ctx);
    const form = await readForm(ctx);
    if (!form.getAll('List-Unsubscribe').includes('One-Click')) {
      throw new ApiError('malformed_request', `the body must be ${ONE_CLICK}`);
    }
    const ids = { message_id: message.id, project_id: message.projectId };
    const { created } = await db(suppress(message));
    // A second click (or a provider retrying its POST) leaves one event on the timeline; it fans that event out
    // again (harmless, idempotent), which completes a first POST whose webhook fan-out failed.
    const seen = await db(prisma.event.findFirst({ where: { messageId: message.id, type: UNSUBSCRIBED_EVENT } }));
    if (seen) {
      await db(fanOutStoredEvent(deps, seen.id));
    } else {
      await db(recordExternalEvent(deps, {
        messageId: message.id,
        projectId: message.projectId,
        type: UNSUBSCRIBED_EVENT,
        data: { source: 'unsubscribe_link', newly_suppressed: created },
      }));
    }
    logger.info({ ...ids, newly_suppressed: created }, 'recipient unsubscribed');
    sendPage(ctx, DONE_PAGE);
  });

  async function messageOf(ctx: Context): Promise<Message> {
    const secret = deps.config.SENDARIX_UNSUBSCRIBE_SECRET;
    const messageId = secret ? verifyUnsubscribeToken(String(ctx.params.token ?? ''), secret) : undefined;
    const message = messageId ? await db(prisma.message.findUnique({ where: { id: messageId } })) : null;
    if (!message) throw new ApiError('not_found', 'no such unsubscribe link');
    return message;
  }

  /** The recipient's entry, keyed as the API would key it now (the project's subaddress setting applies). */
  async function suppress(message: Message) {
    const parsed = parseMailbox(message.recipient);
    const ignoreSubaddress = await ignoresSubaddress(prisma, message.projectId);
    const address = parsed.ok ? normalizeForSuppression(parsed.mailbox, { ignoreSubaddress }) : message.recipientKey;
    return addSuppression(prisma, {
      projectId: message.projectId,
      address,
      reason: 'unsubscribed',
      source: 'unsubscribe_link',
      messageId: message.id,
    });
  }

  return router;
}
