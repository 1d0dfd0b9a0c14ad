// Graceful shutdown on real parts: SIGTERM to a running src/main.ts while messages are being delivered and a
// request is half sent. The request is still answered, the process exits by itself, and after a restart on the
// same data every message reaches its final state, delivered once.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';

/** Each DATA is answered after this long, so that deliveries are still in flight when SIGTERM arrives. */
const DATA_DELAY_MS = 700;
const MESSAGES = 12;
/** Bound on the whole shutdown: the API's drain (25 s) is the longest wait it may take. */
const SHUTDOWN_BOUND_MS = 30_000;
/** Two start-ups of src/main.ts (each bundles the workflows) on a busy 2-core machine take most of this. */
const TEST_TIMEOUT_MS = 300_000;

/** A real SMTP peer on loopback that counts deliveries per recipient and answers DATA slowly. */
async function startSlowPeer() {
  const received = new Map<string, number>();
  let dataStarted = 0;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    onData(stream, session, callback) {
      dataStarted++;
      stream.resume();
      stream.on('end', () => {
        setTimeout(() => {
          for (const r of session.envelope.rcptTo) received.set(r.address, (received.get(r.address) ?? 0) + 1);
          callback();
        }, DATA_DELAY_MS);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get dataStarted() {
      return dataStarted;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A POST whose body is written in two parts, so that it is in flight across the signal. */
function halfSentPost(url: string, apiKey: string, body: unknown) {
  const payload = Buffer.from(JSON.stringify(body));
  const req = http.request(`${url}/v1/messages`, {
    method: 'POST',
    agent: false,
    headers: {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      'content-length': payload.length,
    },
  });
  const answered = new Promise<{ status: number; body: { message_id: string } }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
    });
    req.on('error', reject);
  });
  req.write(payload.subarray(0, 20));
  return { answered, finish: () => req.end(payload.subarray(20)) };
}

let peer: Awaited<ReturnType<typeof startSlowPeer>>;
let sx: SendarixProcess;

beforeAll(async () => {
  peer = await startSlowPeer();
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

it(
  'finishes in-flight requests and deliveries on SIGTERM, and every message ends final after a restart',
  async () => {
    const env = { SENDARIX_WORKER_SHUTDOWN_GRACE: '20s' };
    const first = await startSendarix({ smtpUrl: peer.url, env });
    sx = first;
    const run = randomUUID().slice(0, 8);
    const recipients = Array.from({ length: MESSAGES }, (_, i) => `inflight-${run}-${i}@example.com`);
    const accepted = await Promise.all(
      recipients.map((recipient) =>
        first.api('POST', '/v1/messages', { recipient, subject: 'Shutdown', text: 'in flight' }),
      ),
    );
    expect(accepted.map((r) => r.status)).toEqual(recipients.map(() => 202));
    const ids = accepted.map((r) => r.body.message_id as string);

    const lateRecipient = `late-${run}@example.com`;
    const late = halfSentPost(first.url, first.apiKey, {
      recipient: lateRecipient,
      subject: 'Shutdown',
      text: 'half sent',
    });
    await eventually(async () => (peer.dataStarted > 0 ? true : undefined), 30_000, 'a delivery in flight');
    // The request's headers have reached the server; the signal now lands while it waits for the rest of the body.
    await new Promise((r) => setTimeout(r, 300));
    const signalledAt = Date.now();
    const exited = first.terminate('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    late.finish();
    const lateAnswer = await late.answered;
    expect(lateAnswer.status).toBe(202);
    ids.push(lateAnswer.body.message_id);

    const exit = await exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(SHUTDOWN_BOUND_MS);
    expect(first.logs.some((l) => l.includes('"shutting down"'))).toBe(true);
    expect(first.logs.filter((l) => l.includes('error during shutdown'))).toEqual([]);

    sx = await startSendarix({ smtpUrl: peer.url, env, reuse: first });
    const statuses = await eventually(
      async () => {
        const all = await Promise.all(
          ids.map(async (id) => (await sx.api('GET', `/v1/messages/${id}`)).body.status as string),
        );
        return all.every((s) => s === 'delivered') ? all : undefined;
      },
      60_000,
      'every message delivered after the restart',
    );
    expect(statuses).toHaveLength(MESSAGES + 1);
    // In-flight attempts were allowed to finish and report, so none was sent a second time.
    for (const recipient of [...recipients, lateRecipient]) expect(peer.received.get(recipient)).toBe(1);
  },
  TEST_TIMEOUT_MS,
);
