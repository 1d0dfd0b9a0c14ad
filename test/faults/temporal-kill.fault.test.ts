// R2: kill -9 of the Temporal server in the middle of a run (sends being accepted, deliveries under way), then a
// restart on its persisted SQLite file. No message the API accepted (202) may be lost; clients that got a 503
// retry with the same idempotency key, as they are told to, and those messages must not be lost either.
import { randomUUID } from 'node:crypto';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { mapLimit, waitUntil } from './support/bounded';
import { startSplitDeployment, statusCounts, type SplitDeployment } from './support/deployment';
import { countBy, reportFigures } from './support/report';

const MESSAGES = Math.max(60, Math.floor(Number(process.env.FAULT_MESSAGES ?? 200) / 2));
const SUBMIT_CONCURRENCY = 4;
/** Pause between two sends of one lane, so that sends are still arriving when the server dies. */
const SEND_PACE_MS = 40;
const OUTAGE_MS = 5_000;
/** A client retries a 503 with the same key for this long, with this pause. */
const CLIENT_RETRY_MS = 120_000;
const CLIENT_RETRY_PAUSE_MS = 500;
const SETTLE_TIMEOUT_MS = 10 * 60_000;

jest.setTimeout(SETTLE_TIMEOUT_MS + 5 * 60_000);

let peer: SmtpPeer;
let d: SplitDeployment;

beforeAll(async () => {
  peer = await startSmtpPeer();
  d = await startSplitDeployment({ smtpUrl: peer.url });
});

afterAll(async () => {
  await d?.stop();
  await peer?.stop();
});

interface Sent {
  recipient: string;
  messageId: string;
  /** 503 answers before the 202. */
  unavailable: number;
}

async function sendUntilAccepted(recipient: string): Promise<Sent> {
  const key = randomUUID();
  const deadline = Date.now() + CLIENT_RETRY_MS;
  let unavailable = 0;
  for (;;) {
    const res = await d.call('POST', '/v1/messages', { recipient, subject: 'Fault R2', text: `for ${recipient}` }, {
      'idempotency-key': key,
    });
    if (res.status === 202) return { recipient, messageId: res.body.message_id as string, unavailable };
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    unavailable++;
    if (Date.now() > deadline) throw new Error(`${recipient} still refused after ${CLIENT_RETRY_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, CLIENT_RETRY_PAUSE_MS));
  }
}

it('loses no accepted message when the Temporal server is killed mid-run and restarted on its database', async () => {
  const run = randomUUID().slice(0, 8);
  const recipients = Array.from({ length: MESSAGES }, (_, i) => `r2-${run}-${i}@example.com`);
  let submitted = 0;
  let outage: Promise<{ downAtSubmitted: number; deliveredBefore: number; restartMs: number }> | undefined;
  const startedAt = Date.now();

  const sent = await mapLimit(recipients, SUBMIT_CONCURRENCY, async (recipient) => {
    const result = await sendUntilAccepted(recipient);
    submitted++;
    // Once deliveries are under way (or two thirds are in, on a slow machine), while sends still arrive.
    if (!outage && submitted >= MESSAGES / 3 && (peer.dataCount > 0 || submitted >= (2 * MESSAGES) / 3)) {
      outage = (async () => {
        const downAtSubmitted = submitted;
        const deliveredBefore = peer.dataCount;
        await d.killTemporal();
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        const restartStarted = Date.now();
        await d.restartTemporal();
        return { downAtSubmitted, deliveredBefore, restartMs: Date.now() - restartStarted };
      })();
    }
    await new Promise((resolve) => setTimeout(resolve, SEND_PACE_MS));
    return result;
  });
  const outageFigures = await outage;

  await waitUntil(
    async () => (await statusCounts(d.db)).delivered === MESSAGES,
    SETTLE_TIMEOUT_MS,
    'every accepted message to be delivered',
    () => ({ peer: peer.dataCount }),
    1_000,
  );
  const perRecipient = countBy(peer.received.flatMap((m) => m.envelope.to), (to) => to);
  const lost = recipients.filter((r) => !perRecipient.has(r));
  const duplicated = recipients.filter((r) => (perRecipient.get(r) ?? 0) > 1);
  reportFigures('R2', {
    messages: MESSAGES,
    ...outageFigures,
    refused_503: sent.reduce((n, s) => n + s.unavailable, 0),
    retried_sends: sent.filter((s) => s.unavailable > 0).length,
    settled_ms: Date.now() - startedAt,
    lost: lost.length,
    duplicated: duplicated.length,
  });

  expect(outageFigures).toBeDefined();
  expect(d.worker?.running).toBe(true);
  expect(await statusCounts(d.db)).toEqual({ delivered: MESSAGES });
  expect(new Set(sent.map((s) => s.messageId)).size).toBe(MESSAGES);
  expect(lost).toEqual([]);
  expect(duplicated).toEqual([]);
});
