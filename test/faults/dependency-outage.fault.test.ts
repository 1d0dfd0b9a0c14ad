// R3: Temporal or the database unreachable (a cut TCP proxy: connections refused and reset, the servers keep
// running). The API answers 503 and the SMTP ingress a 4xx (451 for a message), nothing is half-accepted (no
// message row, no workflow), and once the dependency is back the same process accepts again by itself.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { messageIdForKey } from '../../src/ids';
import { DEFAULT_PROJECT_ID } from '../../src/services/projects';
import { messageWorkflowId } from '../../src/workflows/definitions';
import { eventually, startSendarix, TEST_API_KEY, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { waitUntil } from './support/bounded';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { reportFigures } from './support/report';
import { hostPort, startTcpProxy, type TcpProxy } from './support/tcp-proxy';

const RECOVERY_TIMEOUT_MS = 60_000;
const SENDER = 'faults@sendarix.test';

let peer: SmtpPeer;
let db: TestDatabase;
let pgProxy: TcpProxy;
let temporalProxy: TcpProxy;
let sx: SendarixProcess;
let temporal: Client;

beforeAll(async () => {
  peer = await startSmtpPeer();
  db = await createTestDatabase();
  const pgUrl = new URL(db.url);
  pgProxy = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  pgUrl.host = pgProxy.address;
  const temporalAddress = process.env.SENDARIX_TEST_TEMPORAL_ADDRESS as string;
  temporalProxy = await startTcpProxy(hostPort(temporalAddress));
  sx = await startSendarix({
    smtpUrl: peer.url,
    temporalAddress: temporalProxy.address,
    env: { DATABASE_URL: pgUrl.toString(), SENDARIX_DEFAULT_FROM: `Faults <${SENDER}>` },
  });
  temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
});

afterAll(async () => {
  await sx?.stop();
  await temporalProxy?.stop();
  await pgProxy?.stop();
  await temporal?.connection.close();
  await db?.drop();
  await peer?.stop();
});

const send = (recipient: string, key: string) =>
  sx.api('POST', '/v1/messages', { recipient, subject: 'Fault R3', text: `for ${recipient}` }, {
    'idempotency-key': key,
  });

function relay() {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: sx.smtpPort,
    secure: false,
    tls: { rejectUnauthorized: false }, // the embedded default's certificate is self-signed
    auth: { user: 'apikey', pass: TEST_API_KEY },
  });
}

const relayMail = (to: string) => ({ from: SENDER, to, subject: 'Fault R3 over SMTP', text: `for ${to}` });

async function smtpRefusal(send: Promise<unknown>): Promise<{ responseCode?: number; command?: string }> {
  const err = await send.then(() => undefined, (e: unknown) => e as { responseCode?: number; command?: string });
  if (!err) throw new Error('the relay accepted a message while a dependency was unreachable');
  return err;
}

async function messageRows(recipient: string): Promise<number> {
  const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE recipient = $1', [recipient]);
  return Number(rows[0]?.n);
}

/** Whether Temporal knows the workflow of the message an idempotency key would make (generation 0). */
async function workflowExists(key: string): Promise<boolean> {
  const id = messageWorkflowId(messageIdForKey(DEFAULT_PROJECT_ID, key, 0));
  return temporal.workflow.getHandle(id).describe().then(() => true, () => false);
}

async function deliveredOnce(recipient: string): Promise<void> {
  await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(1);
}

/** Until a send of `recipient` is accepted again (by the same, never restarted, process): how long it took. */
async function recovery(recipient: string, key: string): Promise<number> {
  const started = Date.now();
  const accepted = async () => (await send(recipient, key)).status === 202;
  await waitUntil(accepted, RECOVERY_TIMEOUT_MS, `${recipient} accepted`);
  return Date.now() - started;
}

describe.each([
  ['Temporal', () => temporalProxy],
  ['the database', () => pgProxy],
])('with %s unreachable', (name, proxy) => {
  const run = randomUUID().slice(0, 8);
  const apiRecipient = `r3-api-${run}@example.com`;
  const smtpRecipient = `r3-smtp-${run}@example.com`;
  const key = randomUUID();
  let openSession: SMTPConnection | undefined;

  beforeAll(async () => {
    // A relay session that authenticated before the outage, to reach DATA without a database for AUTH.
    openSession = new SMTPConnection({ host: '127.0.0.1', port: sx.smtpPort, tls: { rejectUnauthorized: false } });
    await new Promise<void>((resolve, reject) =>
      openSession?.connect((err?: Error) => (err ? reject(err) : resolve())),
    );
    await new Promise<void>((resolve, reject) =>
      openSession?.login({ user: 'apikey', pass: TEST_API_KEY }, (err) => (err ? reject(err) : resolve())),
    );
    await proxy().cut();
  });

  afterAll(async () => {
    openSession?.close();
    await proxy().restore();
  });

  it('answers 503 with Retry-After to a send and keeps nothing of it', async () => {
    const res = await send(apiRecipient, key);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('answers 503 on /health', async () => {
    const res = await sx.api('GET', '/health');
    expect(res.status).toBe(503);
  });

  it('answers a relayed message with a temporary SMTP error', async () => {
    const err = await smtpRefusal(relay().sendMail(relayMail(smtpRecipient)));
    // With the database gone AUTH is the first step that needs it (454, RFC 4954); with Temporal gone, DATA (451).
    expect(err.responseCode).toBe(name === 'Temporal' ? 451 : 454);
  });

  it('answers 451 to a message on a session that authenticated before the outage', async () => {
    const err = await new Promise<{ responseCode?: number; command?: string } | undefined>((resolve) =>
      openSession?.send({ from: SENDER, to: [smtpRecipient] }, Buffer.from(`Subject: R3\r\n\r\nsession\r\n`), (e) =>
        resolve(e ?? undefined),
      ),
    );
    expect(err?.responseCode).toBe(451);
  });

  it('half-accepts nothing: no message row and no workflow for the refused send', async () => {
    // Read past the proxy, straight from PostgreSQL and Temporal.
    expect(await messageRows(apiRecipient)).toBe(0);
    expect(await messageRows(smtpRecipient)).toBe(0);
    expect(await workflowExists(key)).toBe(false);
  });

  it('accepts again by itself once it is back, and the retried send is delivered exactly once', async () => {
    await proxy().restore();
    const apiRecoveryMs = await recovery(apiRecipient, key);
    const smtpStarted = Date.now();
    await waitUntil(
      () => relay().sendMail(relayMail(smtpRecipient)).then(() => true, () => false),
      RECOVERY_TIMEOUT_MS,
      'the relay to accept again',
    );
    const smtpRecoveryMs = Date.now() - smtpStarted;
    reportFigures('R3', { dependency: name, api_recovery_ms: apiRecoveryMs, smtp_recovery_ms: smtpRecoveryMs });
    const health = await eventually(async () => {
      const res = await sx.api('GET', '/health');
      return res.status === 200 ? res : undefined;
    }, RECOVERY_TIMEOUT_MS, 'health 200');
    expect(health.body).toMatchObject({ database: 'ok', temporal: 'ok' });
    await deliveredOnce(apiRecipient);
    await deliveredOnce(smtpRecipient);
    expect(await messageRows(apiRecipient)).toBe(1);
  });
});
