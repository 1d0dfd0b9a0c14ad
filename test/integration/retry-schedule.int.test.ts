// The real default retry schedule (30 s, 5 min, 30 min, 2 h, 5 h) run through with time skipping: the
// workflow, its activities, the database and the SMTP peer are all real; only the clock jumps. The
// time-skipping server cannot register custom search attributes, so they are switched off here.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { TransportPool } from '../../src/mail/transports';
import { acceptMessage } from '../../src/services/accept-message';
import { bootstrapProject, DEFAULT_PROJECT_ID } from '../../src/services/projects';
import { messageWorkflowId } from '../../src/workflows/definitions';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { createTimeSkippingEnv } from '../support/time-skipping';

const TASK_QUEUE = 'retry-schedule';
const DEFAULT_DELAYS_MS = [30_000, 300_000, 1_800_000, 7_200_000, 18_000_000];

let env: TestWorkflowEnvironment;
let database: Database;
let dataDir: string;
let peer: SmtpPeer;
const logger = createLogger('silent');

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  // Jest cannot load Prisma's Wasm schema engine (an ES module), so a child process migrates the database first.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-ts-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts', 'deploy'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { PATH: process.env.PATH, SENDARIX_DATA_DIR: dataDir },
  });
  database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite'), migrate: false });
  await bootstrapProject(database.prisma, { defaultFrom: 'tests@sendarix.test' });
  peer = await startSmtpPeer();
});

function testConfig() {
  return loadConfig({ SENDARIX_TASK_QUEUE: TASK_QUEUE, SENDARIX_SEARCH_ATTRIBUTES: 'false' });
}

/** A worker runs once (`runUntil` shuts it down), so each test makes its own. */
async function newWorker(): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: createActivities({
      prisma: database.prisma,
      transports: new TransportPool({ relay: { url: peer.url } }),
      defaultRoute: 'relay',
      hostname: 'sendarix.localhost',
      logger,
      temporal: env.client,
      config: testConfig(),
    }),
  });
}

afterAll(async () => {
  await peer?.stop();
  await database?.close();
  await env?.teardown();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function send(recipient: string) {
  const { response } = await acceptMessage(
    { prisma: database.prisma, temporal: env.client, config: testConfig(), logger },
    DEFAULT_PROJECT_ID,
    { recipient, subject: 'Invoice 42', text: 'Your invoice', headers: { 'X-Idempotency-Key': randomUUID() } },
    undefined,
  );
  return response.message_id;
}

it('retries after 30 s, 5 min, 30 min, 2 h and 5 h, then bounces soft after the sixth attempt', async () => {
  const recipient = `full-${randomUUID().slice(0, 8)}@example.com`;
  peer.setBehaviour(recipient, { code: 451, enhanced: '4.2.2', message: 'Mailbox full' });
  const id = await send(recipient);
  const handle = env.client.workflow.getHandle(messageWorkflowId(id));

  const result = await (await newWorker()).runUntil(handle.result());
  expect(result).toMatchObject({ status: 'bounced', attempts: 6 });
  expect(peer.rcptAttempts.get(recipient)).toBe(6);

  const events = await database.prisma.event.findMany({ where: { messageId: id }, orderBy: { seq: 'asc' } });
  const deferred = events.filter((e) => e.type === 'deferred').map((e) => (e.data as { retry_in_ms: number }).retry_in_ms);
  expect(deferred).toEqual(DEFAULT_DELAYS_MS);
  expect(events.at(-1)?.data).toMatchObject({ bounce_type: 'soft', reason: 'retries_exhausted', attempt: 6 });

  const description = await handle.describe();
  const elapsedMs = (description.closeTime as Date).getTime() - description.startTime.getTime();
  expect(elapsedMs).toBeGreaterThanOrEqual(DEFAULT_DELAYS_MS.reduce((a, b) => a + b, 0));
  const suppressed = await database.prisma.suppression.count({ where: { address: recipient } });
  expect(suppressed).toBe(0);
});

it('delivers on the third attempt after 30 s and 5 min of greylisting', async () => {
  const recipient = `grey-${randomUUID().slice(0, 8)}@example.com`;
  peer.setBehaviour(recipient, { sequence: [{ code: 451, message: 'Greylisted' }, { code: 451, message: 'Greylisted' }, { code: 250 }] });
  const id = await send(recipient);
  const handle = env.client.workflow.getHandle(messageWorkflowId(id));
  const result = await (await newWorker()).runUntil(handle.result());
  expect(result).toMatchObject({ status: 'delivered', attempts: 3 });
  const description = await handle.describe();
  const elapsedMs = (description.closeTime as Date).getTime() - description.startTime.getTime();
  expect(elapsedMs).toBeGreaterThanOrEqual(330_000);
  expect(elapsedMs).toBeLessThan(1_800_000);
});
