// R4: 100 concurrent identical requests with one idempotency key make exactly one message and one DATA at the
// peer, whether the key comes as the Idempotency-Key header or inside `headers` (the SPEC's example).
import { randomUUID } from 'node:crypto';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { waitUntil } from './support/bounded';
import { countBy, reportFigures } from './support/report';
import { startSendarixOnPostgres, type SendarixOnPostgres } from './support/sendarix-pg';

const CONCURRENT = 100;
/** After delivery, how long the peer is watched for a second copy. */
const LATE_COPY_WATCH_MS = 3_000;

let peer: SmtpPeer;
let s: SendarixOnPostgres;

beforeAll(async () => {
  peer = await startSmtpPeer();
  s = await startSendarixOnPostgres({ smtpUrl: peer.url });
});

afterAll(async () => {
  await s?.stop();
  await peer?.stop();
});

async function race(recipient: string, keyIn: 'header' | 'body') {
  const key = randomUUID();
  const body = {
    recipient,
    subject: 'Fault R4',
    text: 'one of a hundred identical requests',
    ...(keyIn === 'body' ? { headers: { 'X-Idempotency-Key': key } } : {}),
  };
  const headers: Record<string, string> = keyIn === 'header' ? { 'idempotency-key': key } : {};
  const started = Date.now();
  const send = () => s.sx.api('POST', '/v1/messages', body, headers);
  const responses = await Promise.all(Array.from({ length: CONCURRENT }, send));
  return { key, responses, ms: Date.now() - started };
}

describe.each(['header', 'body'] as const)('with the key in the %s', (keyIn) => {
  it(`turns ${CONCURRENT} concurrent identical requests into exactly one message and one DATA`, async () => {
    const recipient = `r4-${keyIn}-${randomUUID().slice(0, 8)}@example.com`;
    const { key, responses, ms } = await race(recipient, keyIn);
    const statuses = countBy(responses, (r) => String(r.status));
    reportFigures('R4', { key_in: keyIn, concurrent: CONCURRENT, statuses: Object.fromEntries(statuses), ms });

    expect(Object.fromEntries(statuses)).toEqual({ '202': CONCURRENT });
    const ids = new Set(responses.map((r) => r.body.message_id as string));
    expect(ids.size).toBe(1);
    const rows = await s.db.query<{ id: string }>('SELECT id FROM messages WHERE idempotency_key = $1', [key]);
    expect(rows.map((r) => r.id)).toEqual([...ids]);

    await waitUntil(async () => peer.received.some((m) => m.envelope.to.includes(recipient)), 30_000, 'the delivery');
    await new Promise((resolve) => setTimeout(resolve, LATE_COPY_WATCH_MS));
    expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(1);
    const message = await s.sx.api('GET', `/v1/messages/${[...ids][0]}`);
    expect(message.body.status).toBe('delivered');
    expect(message.body.events.filter((e: { type: string }) => e.type === 'message.delivered')).toHaveLength(1);
  });
});

it('gives one message to a key raced with different bodies, and refuses the other bodies', async () => {
  const key = randomUUID();
  const recipient = `r4-mixed-${randomUUID().slice(0, 8)}@example.com`;
  const responses = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) =>
      s.sx.api('POST', '/v1/messages', { recipient, subject: `Fault R4 body ${i % 2}`, text: 'raced' }, {
        'idempotency-key': key,
      }),
    ),
  );
  const parity = (status: number) => new Set(responses.flatMap((r, i) => (r.status === status ? [i % 2] : [])));
  const accepted = responses.filter((r) => r.status === 202);
  expect(accepted.length + responses.filter((r) => r.status === 422).length).toBe(CONCURRENT);
  expect(new Set(accepted.map((r) => r.body.message_id)).size).toBe(1);
  // The body that won is accepted every time it comes; the other one is refused every time.
  const [winner] = [...parity(202)];
  expect([...parity(202)]).toHaveLength(1);
  expect([...parity(422)]).toEqual([1 - (winner as number)]);
  for (const r of responses.filter((x) => x.status === 422)) expect(r.body.error.code).toBe('idempotency_key_reused');
  const rows = await s.db.query('SELECT id FROM messages WHERE idempotency_key = $1', [key]);
  expect(rows).toHaveLength(1);
  const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
  expect(mail.parsed.subject).toBe(`Fault R4 body ${winner}`);
  await new Promise((resolve) => setTimeout(resolve, LATE_COPY_WATCH_MS));
  expect(peer.received.filter((m) => m.envelope.to.includes(recipient))).toHaveLength(1);
});
