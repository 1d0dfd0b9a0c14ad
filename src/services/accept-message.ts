// Accepting a message: validate, store it with its first event and its idempotency record in one
// transaction, then start its workflow. Accepted means durable: if Temporal does not take the workflow,
// the stored rows are removed again and the caller gets a 503.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { isSenderDomainAllowed } from '../domains/sender-policy';
import { ApiError, DependencyUnavailable, validationError } from '../errors';
import { canonicalJson, messageIdForKey, randomId, sha256Hex } from '../ids';
import type { Logger } from '../logger';
import type { MessageContent } from '../mail/content';
import type { MessageAccepted, SendMessageRequest } from '../api/schemas';
import { withListUnsubscribe } from '../unsubscribe/links';
import { messageWorkflowId, type MessageWorkflowInput } from '../workflows/definitions';
import { PROJECT, RECIPIENT_DOMAIN, STATUS, TEMPLATE } from '../workflows/search-attributes';
import { prepareMessage, type PreparedMessage } from './message-request';
import { findTemplate } from './templates';
import { fanOutFirstEvent } from '../webhooks/stored-event';

/**
 * Temporal task priority per tier (1 runs first). Activities inherit the workflow's priority, so a high
 * message overtakes a backlog of low ones at every step; FIFO holds within a tier.
 */
export const PRIORITY_KEYS = { high: 1, normal: 3, low: 5 } as const;

/** How long an idempotency key protects against a second send. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_IDEMPOTENCY_KEY_CHARS = 255;
const UNIQUE_VIOLATION = 'P2002';
/** How long the API waits for Temporal to take a workflow before answering 503. */
const START_DEADLINE_MS = 5_000;
/**
 * How long storing a message may wait for a pooled database connection. Prisma's default (2 s) turned a burst of
 * 100 concurrent sends into 503s while the pool was merely busy; waiting longer degrades into latency instead.
 */
const STORE_MAX_WAIT_MS = 10_000;

export interface AcceptDeps {
  prisma: Db;
  temporal: Client;
  config: Config;
  logger: Logger;
}

export interface AcceptResult {
  response: MessageAccepted;
  replayed: boolean;
}

export async function acceptMessage(
  deps: AcceptDeps,
  projectId: string,
  req: SendMessageRequest,
  headerKey: string | undefined,
  /** The calling key's environment; only `test` keys may send from the sandbox identity. */
  environment = 'live',
  /** Content set by the caller beside the validated fields, e.g. the raw MIME of a message relayed over SMTP. */
  contentExtras: Partial<MessageContent> = {},
): Promise<AcceptResult> {
  const project = await deps.prisma.project.findUnique({ where: { id: projectId } }).catch(unavailable('database'));
  const hostname = deps.config.SENDARIX_HOSTNAME;
  const senderPolicy = { projectId, defaultFrom: project?.defaultFrom, environment, hostname };
  const prepared = await prepareMessage(req, {
    defaultFrom: project?.defaultFrom ?? undefined,
    ignoreSubaddress: project?.suppressionIgnoresSubaddress ?? false,
    findTemplate: (name) => findTemplate(deps.prisma, projectId, name).catch(unavailable('database')),
    isSenderDomainAllowed: (domain) =>
      isSenderDomainAllowed(deps.prisma, senderPolicy, domain).catch(unavailable('database')),
  });
  if (!prepared.ok) throw validationError(prepared.errors);
  const key = idempotencyKeyOf(headerKey, prepared.message.idempotencyKeyFromHeaders);
  const requestHash = sha256Hex(canonicalJson(req));

  for (;;) {
    const existing = key
      ? await deps.prisma.idempotencyRecord
          .findUnique({ where: { projectId_key: { projectId, key } } })
          .catch(unavailable('database'))
      : null;
    if (existing && existing.expiresAt.getTime() > Date.now()) {
      if (existing.requestHash !== requestHash) {
        throw new ApiError(
          'idempotency_key_reused',
          'this idempotency key was already used with a different request body; use a new key for a new message',
        );
      }
      const response = existing.response as unknown as MessageAccepted;
      const message = await deps.prisma.message.findUnique({ where: { id: response.message_id } }).catch(unavailable('database'));
      if (!message) continue; // the first request was rolled back between our two reads: try again
      await startWorkflow(deps, workflowInput(deps.config, message.id, projectId, prepared.message), prepared.message, req);
      return { response, replayed: true };
    }

    const generation = existing ? existing.generation + 1 : 0;
    const messageId = key ? messageIdForKey(projectId, key, generation) : randomId('msg');
    const createdAt = new Date();
    const withExtras = { ...prepared.message, content: { ...prepared.message.content, ...contentExtras } };
    const ready = withListUnsubscribe(withExtras, messageId, deps.config);
    const response = acceptedResponse(messageId, ready, createdAt);
    try {
      await storeMessage(deps.prisma, { projectId, messageId, key, requestHash, generation, createdAt, response, prepared: ready, existingExpired: Boolean(existing), metadata: req.metadata, tags: req.tags });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) continue; // a concurrent identical request won
      throw new DependencyUnavailable('database', err);
    }

    try {
      await startWorkflow(deps, workflowInput(deps.config, messageId, projectId, prepared.message), prepared.message, req);
    } catch (err) {
      await deps.prisma.message.delete({ where: { id: messageId } }).catch(() => undefined);
      if (key) await deps.prisma.idempotencyRecord.deleteMany({ where: { projectId, key, messageId } }).catch(() => undefined);
      throw err;
    }
    deps.logger.info({ message_id: messageId, project_id: projectId, status: response.status }, 'message accepted');
    // A queued message's first event reaches webhooks with the workflow's next one; a scheduled message
    // may wait for hours, so its `message.scheduled` goes out now (fan-out is idempotent per event).
    if (prepared.message.scheduledAt) await fanOutFirstEvent(deps, messageId).catch((err: unknown) => {
      deps.logger.warn({ err, message_id: messageId }, 'webhook fan-out of the scheduled event failed; it goes out with the next event');
    });
    return { response, replayed: false };
  }
}

function idempotencyKeyOf(headerKey: string | undefined, bodyKey: string | undefined): string | undefined {
  if (headerKey !== undefined && bodyKey !== undefined && headerKey !== bodyKey) {
    throw validationError([{ field: 'headers.X-Idempotency-Key', code: 'idempotency_key_conflict', message: 'differs from the Idempotency-Key header' }]);
  }
  const key = headerKey ?? bodyKey;
  if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_CHARS || !/^[\x21-\x7e]+$/.test(key))) {
    throw validationError([{ field: 'Idempotency-Key', code: 'invalid_idempotency_key', message: 'must be 1-255 printable ASCII characters (a UUID v4 is recommended)' }]);
  }
  return key;
}

function acceptedResponse(messageId: string, prepared: PreparedMessage, createdAt: Date): MessageAccepted {
  return {
    message_id: messageId,
    status: prepared.scheduledAt ? 'scheduled' : 'queued',
    recipient: prepared.recipient.display,
    created_at: createdAt.toISOString(),
    ...(prepared.scheduledAt ? { scheduled_time: prepared.scheduledAt.toISOString() } : {}),
    ...(prepared.warnings.length > 0 ? { warnings: prepared.warnings } : {}),
  };
}

interface StoreInput {
  projectId: string;
  messageId: string;
  key?: string;
  requestHash: string;
  generation: number;
  createdAt: Date;
  response: MessageAccepted;
  prepared: PreparedMessage;
  existingExpired: boolean;
  metadata?: SendMessageRequest['metadata'];
  tags?: string[];
}

async function storeMessage(prisma: Db, input: StoreInput): Promise<void> {
  const { projectId, messageId, key, prepared, createdAt, response } = input;
  await prisma.$transaction(async (tx) => {
    if (key) {
      if (input.existingExpired) await tx.idempotencyRecord.delete({ where: { projectId_key: { projectId, key } } });
      await tx.idempotencyRecord.create({
        data: {
          projectId,
          key,
          requestHash: input.requestHash,
          messageId,
          generation: input.generation,
          response: response as object,
          createdAt,
          expiresAt: new Date(createdAt.getTime() + IDEMPOTENCY_WINDOW_MS),
        },
      });
    }
    await tx.message.create({
      data: {
        id: messageId,
        projectId,
        workflowId: messageWorkflowId(messageId),
        idempotencyKey: key,
        status: response.status,
        recipient: prepared.recipient.display,
        recipientKey: prepared.recipientKey,
        recipientDomain: prepared.recipient.asciiDomain,
        sender: prepared.content.from.display,
        subject: prepared.content.subject,
        template: prepared.template,
        content: prepared.content as object,
        metadata: (input.metadata ?? {}) as object,
        tags: input.tags ?? [],
        priority: prepared.priority,
        scheduledAt: prepared.scheduledAt,
        createdAt,
      },
    });
    await tx.event.create({
      data: {
        id: `evt_${messageId.slice(4)}_0`,
        messageId,
        projectId,
        seq: 0,
        type: response.status,
        data: prepared.scheduledAt ? { scheduled_time: prepared.scheduledAt.toISOString() } : {},
        createdAt,
      },
    });
  }, { maxWait: STORE_MAX_WAIT_MS });
}

/** The workflow's input for a message; a retry overrides `nextEventSeq` to continue after the stored events. */
export function workflowInput(
  config: Config,
  messageId: string,
  projectId: string,
  prepared: Pick<PreparedMessage, 'scheduledAt'>,
): MessageWorkflowInput {
  return {
    messageId,
    projectId,
    scheduledAt: prepared.scheduledAt?.toISOString(),
    retryScheduleMs: config.SENDARIX_RETRY_SCHEDULE,
    nextEventSeq: 1,
    searchAttributes: config.SENDARIX_SEARCH_ATTRIBUTES,
  };
}

/** What starting a workflow needs of a message; a retry passes the stored message's values. */
export type WorkflowStartFields = Pick<PreparedMessage, 'scheduledAt' | 'priority'> & {
  recipient: Pick<PreparedMessage['recipient'], 'asciiDomain'>;
};

/** Starts a message's workflow (a second start of the same id is harmless); Temporal trouble is a 503. */
export async function startWorkflow(
  deps: AcceptDeps,
  input: MessageWorkflowInput,
  prepared: WorkflowStartFields,
  req: Pick<SendMessageRequest, 'template'>,
  workflowId = messageWorkflowId(input.messageId),
) {
  try {
    await deps.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () => deps.temporal.workflow.start('messageWorkflow', {
      taskQueue: deps.config.SENDARIX_TASK_QUEUE,
      workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      priority: { priorityKey: PRIORITY_KEYS[prepared.priority] },
      args: [input],
      typedSearchAttributes: !input.searchAttributes ? undefined : [
        { key: STATUS, value: prepared.scheduledAt ? 'scheduled' : 'queued' },
        { key: PROJECT, value: input.projectId },
        { key: RECIPIENT_DOMAIN, value: prepared.recipient.asciiDomain },
        ...(req.template ? [{ key: TEMPLATE, value: req.template }] : []),
      ],
    }));
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw new DependencyUnavailable('temporal', err);
  }
}

function unavailable(dependency: 'database' | 'temporal') {
  return (err: unknown): never => {
    throw new DependencyUnavailable(dependency, err);
  };
}
