// Suppressions and one-click unsubscribe end to end: HTTP API → database → the workflow's dispatch-time check →
// the SMTP peer, on real parts. Every address variant is checked by sending to it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signUnsubscribeToken } from '../../src/unsubscribe/token';
import { eventually, request, startSendarix, type ApiResponse, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../support/smtp-peer';

const PUBLIC_URL = 'https://unsub.sendarix.test';
const UNSUBSCRIBE_MAILBOX = 'unsubscribe@sendarix.test';
const FINAL = ['delivered', 'bounced', 'suppressed', 'cancelled'];

let peer: SmtpPeer;
let sx: SendarixProcess;

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({
    smtpUrl: peer.url,
    env: { SENDARIX_PUBLIC_URL: PUBLIC_URL, SENDARIX_UNSUBSCRIBE_MAILTO: UNSUBSCRIBE_MAILBOX },
  });
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

const unique = () => randomUUID().slice(0, 8);
const as = (secret: string) => ({ authorization: `Bearer ${secret}` });
const enc = encodeURIComponent;

/** A project of its own, so that its settings and entries touch no other test. */
async function newProject(): Promise<string> {
  const body = { name: `suppressions ${unique()}`, default_from: 'Tests <tests@sendarix.test>' };
  const res = await sx.api('POST', '/v1/projects', body);
  expect(res.status).toBe(201);
  return res.body.api_key as string;
}

async function send(recipient: string, extra: Record<string, unknown> = {}, key = sx.apiKey): Promise<string> {
  const body = { recipient, ...('template' in extra ? {} : { subject: 'Hello', text: 'Hello' }), ...extra };
  const res = await sx.api('POST', '/v1/messages', body, as(key));
  if (res.status !== 202) throw new Error(`send to ${recipient}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.message_id as string;
}

async function finalMessage(id: string, key = sx.apiKey) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`, undefined, as(key));
    return FINAL.includes(res.body.status) ? res.body : undefined;
  }, 30_000, `message ${id} to finish`);
}

async function suppress(recipient: string, key = sx.apiKey, reason?: string): Promise<ApiResponse> {
  return sx.api('POST', '/v1/suppressions', { recipient, ...(reason ? { reason } : {}) }, as(key));
}

/** Whether the peer was ever asked to take mail for this wire address (lowercased, A-label domain). */
const peerSaw = (wireAddress: string) => (peer.rcptAttempts.get(wireAddress.toLowerCase()) ?? 0) > 0;

describe('the suppression API', () => {
  it('adds, reads (URL-encoded, any spelling), lists and removes an entry', async () => {
    const address = `crud.${unique()}/x@example.com`;
    const added = await suppress(`Someone <${address.toUpperCase()}>`, sx.apiKey, 'complaint');
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      recipient: address,
      address,
      reason: 'complaint',
      source: 'api',
      message_id: null,
      created_at: expect.stringMatching(/Z$/),
    });

    const again = await suppress(address, sx.apiKey, 'manual');
    expect(again.status).toBe(200);
    expect(again.body.reason).toBe('complaint');

    const read = await sx.api('GET', `/v1/suppressions/${enc(` ${address.replace('example', 'EXAMPLE')} `)}`);
    expect(read.status).toBe(200);
    expect(read.body.address).toBe(address);
    const list = await sx.api('GET', '/v1/suppressions?limit=100');
    expect(list.body.data.map((e: { address: string }) => e.address)).toContain(address);

    const removed = await sx.api('DELETE', `/v1/suppressions/${enc(address)}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ address, deleted: true });
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`)).status).toBe(404);
    expect((await sx.api('DELETE', `/v1/suppressions/${enc(address)}`)).status).toBe(404);
  });

  it('shows an IDN entry with its Unicode domain and matches it under its A-label key', async () => {
    const local = `idn.${unique()}`;
    const added = await suppress(`${local}@MÜNCHEN.de`);
    expect(added.body).toMatchObject({ recipient: `${local}@münchen.de`, address: `${local}@xn--mnchen-3ya.de` });
    expect((await sx.api('GET', `/v1/suppressions/${enc(`${local}@xn--mnchen-3ya.de`)}`)).status).toBe(200);
  });

  it('keeps the same records under /v1/unsubscribes, where the reason defaults to unsubscribed', async () => {
    const address = `unsub.${unique()}@example.com`;
    const added = await sx.api('POST', '/v1/unsubscribes', { recipient: address });
    expect(added).toMatchObject({ status: 201, body: { reason: 'unsubscribed', source: 'api' } });
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`)).body.reason).toBe('unsubscribed');
    const manual = `manual.${unique()}@example.com`;
    expect((await suppress(manual)).body.reason).toBe('manual');
    expect((await sx.api('GET', `/v1/unsubscribes/${enc(manual)}`)).status).toBe(200);
    expect((await sx.api('DELETE', `/v1/unsubscribes/${enc(address)}`)).status).toBe(200);
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`)).status).toBe(404);
  });

  it("reads the seed's user_unsubscribed as unsubscribed", async () => {
    const res = await suppress(`seed.${unique()}@example.com`, sx.apiKey, 'user_unsubscribed');
    expect(res).toMatchObject({ status: 201, body: { reason: 'unsubscribed' } });
  });

  it('lists newest first in pages, and filters by reason (the alias too)', async () => {
    const key = await newProject();
    const added: string[] = [];
    for (const [i, reason] of ['manual', 'unsubscribed', 'manual', 'hard_bounce', 'unsubscribed'].entries()) {
      const address = `page${i}.${unique()}@example.com`;
      expect((await suppress(address, key, reason)).status).toBe(201);
      added.push(address);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${enc(cursor)}` : '';
      const page = await sx.api('GET', `/v1/suppressions?limit=2${query}`, undefined, as(key));
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((e: { address: string }) => e.address));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...added].reverse());

    const filtered = await sx.api('GET', '/v1/unsubscribes?reason=user_unsubscribed', undefined, as(key));
    expect(filtered.body.data.map((e: { address: string }) => e.address)).toEqual([added[4], added[1]]);
  });

  it('records a hard bounce as a suppression with source bounce and the message id', async () => {
    const address = `bounce.${unique()}@example.com`;
    peer.setBehaviour(address, { code: 550, enhanced: '5.1.1', message: 'No such user' });
    const id = await send(address);
    expect((await finalMessage(id)).status).toBe('bounced');
    const entry = await sx.api('GET', `/v1/suppressions/${enc(address)}`);
    expect(entry.body).toMatchObject({ address, reason: 'hard_bounce', source: 'bounce', message_id: id });
  });
});

describe('bad input answers 400/422 in the one error shape', () => {
  // Every row has its field (null when the error has none): jest would take a missing last argument for `done`.
  const [S, U, P, INVALID] = ['/v1/suppressions', '/v1/unsubscribes', '/v1/projects/current', 'validation_failed'];
  const SETTING = 'suppression_ignores_subaddress';
  const cases: [string, string, string, unknown, number, string, string | null][] = [
    ['no recipient', 'POST', S, { reason: 'manual' }, 422, INVALID, 'recipient'],
    ['an invalid address', 'POST', S, { recipient: 'not an address' }, 422, INVALID, 'recipient'],
    ['two addresses', 'POST', U, { recipient: 'a@x.com, b@y.com' }, 422, INVALID, 'recipient'],
    ['an unknown reason', 'POST', S, { recipient: 'a@example.com', reason: 'bored' }, 422, INVALID, 'reason'],
    ['an unknown field', 'POST', S, { recipient: 'a@example.com', note: 1 }, 422, INVALID, 'note'],
    ['malformed JSON', 'POST', S, '{"recipient":', 400, 'malformed_request', null],
    ['an unknown reason filter', 'GET', `${S}?reason=bored`, undefined, 422, INVALID, 'reason'],
    ['a zero limit', 'GET', `${S}?limit=0`, undefined, 422, INVALID, 'limit'],
    ['a made-up cursor', 'GET', `${S}?cursor=abc`, undefined, 422, INVALID, 'cursor'],
    ['an invalid address in the path', 'GET', `${S}/${enc('a@@b')}`, undefined, 422, INVALID, 'recipient'],
    ['a non-boolean setting', 'PATCH', P, { suppression_ignores_subaddress: 1 }, 422, INVALID, SETTING],
    ['an unknown setting', 'PATCH', P, { colour: 'red' }, 422, INVALID, 'colour'],
  ];
  it.each(cases)('%s', async (_name, method, pathname, body, status, code, field) => {
    const res = await sx.api(method, pathname, body);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    if (field) expect(res.body.error.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a key without the suppressions scope (403) and a request without a key (401)', async () => {
    const created = await sx.api('POST', '/v1/keys', { label: 'send only', scopes: ['send', 'read'] });
    expect(created.status).toBe(201);
    const sendOnly = as(created.body.secret);
    for (const [method, pathname, body] of [
      ['POST', '/v1/suppressions', { recipient: 'a@example.com' }],
      ['GET', '/v1/unsubscribes', undefined],
      ['PATCH', '/v1/projects/current', { suppression_ignores_subaddress: true }],
    ] as const) {
      const res = await sx.api(method, pathname, body, sendOnly);
      const got = { pathname, status: res.status, code: res.body.error.code };
      expect(got).toEqual({ pathname, status: 403, code: 'forbidden' });
    }
    expect((await request(sx.url, 'GET', '/v1/suppressions')).status).toBe(401);
  });
});

describe('projects are isolated', () => {
  it("never shows, matches or removes another project's entry", async () => {
    const other = await newProject();
    const address = `iso.${unique()}@example.com`;
    expect((await suppress(address, other)).status).toBe(201);

    const read = await sx.api('GET', `/v1/suppressions/${enc(address)}`);
    const missing = await sx.api('GET', `/v1/suppressions/${enc(`nobody.${unique()}@example.com`)}`);
    expect(read.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(read.body.error.code).toBe(missing.body.error.code);
    expect((await sx.api('DELETE', `/v1/unsubscribes/${enc(address)}`)).status).toBe(404);
    const list = await sx.api('GET', '/v1/suppressions?limit=100');
    expect(JSON.stringify(list.body)).not.toContain(address);

    const ours = await send(address);
    const theirs = await send(address, {}, other);
    expect((await finalMessage(ours)).status).toBe('delivered');
    expect((await finalMessage(theirs, other)).status).toBe('suppressed');
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`, undefined, as(other))).status).toBe(200);
  });
});

type Variant = [name: string, entry: string, recipient: string, outcome: 'suppressed' | 'delivered'];

type Outcomes = Map<string, { status: string; recipient: string }>;

/** Adds every entry, then sends to every recipient, and answers each message's final status by case name. */
async function runVariants(variants: Variant[], key: string): Promise<Outcomes> {
  for (const [name, entry] of variants) {
    const res = await suppress(entry, key);
    if (res.status !== 201) throw new Error(`${name}: ${JSON.stringify(entry)} not added: ${JSON.stringify(res.body)}`);
  }
  const ids = await Promise.all(variants.map(([, , recipient]) => send(recipient, {}, key)));
  const finals = await Promise.all(ids.map((id) => finalMessage(id, key)));
  return new Map(variants.map(([name], i) => [name, finals[i]]));
}

describe('address variants, each checked by sending to it', () => {
  const u = unique();
  const [S, D] = ['suppressed', 'delivered'] as const;
  const off: Variant[] = [
    ['upper-case local part in the entry', `Alice.${u}@example.com`, `alice.${u}@example.com`, S],
    ['upper-case local part in the send', `bob.${u}@example.com`, `BOB.${u}@example.com`, S],
    ['upper-case domain in the entry', `carol.${u}@EXAMPLE.COM`, `carol.${u}@example.com`, S],
    ['mixed-case domain in the send', `dave.${u}@example.com`, `dave.${u}@ExAmPlE.cOm`, S],
    ['IDN entry in Unicode, sent in punycode', `erin.${u}@münchen.de`, `erin.${u}@xn--mnchen-3ya.de`, S],
    ['IDN entry in upper-case punycode, sent in Unicode', `fay.${u}@XN--MNCHEN-3YA.de`, `fay.${u}@MÜNCHEN.de`, S],
    ['surrounding whitespace in the entry', `   gus.${u}@example.com  `, `gus.${u}@example.com`, S],
    ['surrounding whitespace in the send', `hal.${u}@example.com`, `  hal.${u}@example.com `, S],
    ['a quoted Name <addr> entry', `"Ivy, I." <ivy.${u}@example.com>`, `ivy.${u}@example.com`, S],
    ['a Name <addr> send', `jay.${u}@example.com`, `Jay Jones <JAY.${u}@Example.com>`, S],
    ['a UTF-8 local part in another case', `JOSÉ.${u}@example.com`, `josé.${u}@example.com`, S],
    ['the same +tag in another case', `kim.${u}+News@example.com`, `KIM.${u}+news@example.com`, S],
    ['a +tag entry, untagged send (setting off)', `lee.${u}+news@example.com`, `lee.${u}@example.com`, D],
    ['an untagged entry, +tag send (setting off)', `max.${u}@example.com`, `max.${u}+news@example.com`, D],
    ['another local part', `ned.${u}@example.com`, `ned2.${u}@example.com`, D],
    ['another domain', `oli.${u}@example.com`, `oli.${u}@example.org`, D],
    ['an accent that is not there', `rené.${u}@example.com`, `rene.${u}@example.com`, D],
  ];
  const on: Variant[] = [
    ['a +tag entry, untagged send (setting on)', `tina.${u}+news@example.com`, `tina.${u}@example.com`, S],
    ['an untagged entry, +tag send (setting on)', `uma.${u}@example.com`, `UMA.${u}+News@example.com`, S],
    ['one +tag entry, another +tag send (setting on)', `pam.${u}+a@example.com`, `pam.${u}+b@example.com`, S],
    ['a tag, case and IDN at once (setting on)', `Quinn.${u}+X@MÜNCHEN.de`, `quinn.${u}+y@xn--mnchen-3ya.de`, S],
    ['another local part with a tag (setting on)', `ray.${u}+a@example.com`, `ray2.${u}+a@example.com`, D],
    ['a local part that only starts the same (setting on)', `sam.${u}@example.com`, `sam.${u}x+a@example.com`, D],
  ];
  let offResults: Map<string, { status: string; recipient: string }>;
  let onResults: Map<string, { status: string; recipient: string }>;

  beforeAll(async () => {
    const onKey = await newProject();
    const patched = await sx.api('PATCH', '/v1/projects/current', { suppression_ignores_subaddress: true }, as(onKey));
    expect(patched.body).toMatchObject({ suppression_ignores_subaddress: true });
    [offResults, onResults] = await Promise.all([runVariants(off, sx.apiKey), runVariants(on, onKey)]);
  });

  it.each([...off, ...on])('%s: %j then %j → %s', (name, _entry, _recipient, outcome) => {
    const result = offResults.get(name) ?? onResults.get(name);
    expect(result?.status).toBe(outcome);
    const wire = result?.recipient.replace(/@münchen\.de$/, '@xn--mnchen-3ya.de') ?? '';
    expect(peerSaw(wire)).toBe(outcome === 'delivered');
  });
});

describe('the subaddress setting', () => {
  it('makes an entry stored with its tag before the setting was on cover the whole mailbox', async () => {
    const key = await newProject();
    const local = `legacy.${unique()}`;
    expect((await suppress(`${local}+old@example.com`, key)).status).toBe(201);
    await sx.api('PATCH', '/v1/projects/current', { suppression_ignores_subaddress: true }, as(key));

    const statusOf = async (recipient: string) => (await finalMessage(await send(recipient, {}, key), key)).status;
    const statuses = await Promise.all([`${local}@example.com`, `${local}+new@example.com`].map(statusOf));
    expect(statuses).toEqual(['suppressed', 'suppressed']);
    const read = await sx.api('GET', `/v1/suppressions/${enc(`${local}@example.com`)}`, undefined, as(key));
    expect(read.body.address).toBe(`${local}+old@example.com`);

    const removed = await sx.api('DELETE', `/v1/suppressions/${enc(`${local}+other@example.com`)}`, undefined, as(key));
    expect(removed.body.entries.map((e: { address: string }) => e.address)).toEqual([`${local}+old@example.com`]);
    expect((await finalMessage(await send(`${local}@example.com`, {}, key), key)).status).toBe('delivered');
  });

  it('is honoured at dispatch for a message accepted before the setting changed', async () => {
    const key = await newProject();
    const local = `late.${unique()}`;
    const scheduled_time = new Date(Date.now() + 4_000).toISOString();
    const id = await send(`${local}+tag@example.com`, { scheduled_time }, key);
    await sx.api('PATCH', '/v1/projects/current', { suppression_ignores_subaddress: true }, as(key));
    expect((await suppress(`${local}@example.com`, key)).body.address).toBe(`${local}@example.com`);
    expect((await finalMessage(id, key)).status).toBe('suppressed');
    expect(peerSaw(`${local}+tag@example.com`)).toBe(false);
  });
});

describe('dispatch-time check', () => {
  it('suppresses a message scheduled before its recipient was suppressed; nothing reaches SMTP', async () => {
    const address = `sched.${unique()}@example.com`;
    const scheduled_time = new Date(Date.now() + 4_000).toISOString();
    const id = await send(address, { scheduled_time });
    expect((await suppress(address)).status).toBe(201);

    const message = await finalMessage(id);
    expect(message.status).toBe('suppressed');
    expect(message.events.map((e: { type: string }) => e.type)).toEqual(['message.scheduled', 'message.suppressed']);
    expect(message.events[1].data).toMatchObject({ reason: 'manual' });
    expect(peerSaw(address)).toBe(false);
    expect(peer.received.some((m) => m.envelope.to.includes(address))).toBe(false);
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  const mailTo = (address: string) => peer.waitFor((m) => m.envelope.to.includes(address), 30_000);
  // The raw header line, unfolded (a long List-Unsubscribe is folded after its comma).
  const header = (mail: ReceivedMail, name: string) =>
    mail.parsed.headerLines
      .find((h) => h.key === name.toLowerCase())
      ?.line.slice(name.length + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim();
  const LINK = /<https:\/\/unsub\.sendarix\.test\/unsubscribe\/([\w-]+\.[\w-]+)>/;
  const tokenOf = (mail: ReceivedMail) => LINK.exec(header(mail, 'List-Unsubscribe') ?? '')?.[1] ?? '';
  const post = (token: string, body: string, type = 'application/x-www-form-urlencoded') =>
    request(sx.url, 'POST', `/unsubscribe/${token}`, body, { 'content-type': type });

  it('puts List-Unsubscribe (HTTPS and mailto) and List-Unsubscribe-Post in a message that asks for them', async () => {
    const address = `oneclick.${unique()}@example.com`;
    const id = await send(address, { unsubscribe: true });
    const mail = await mailTo(address);
    const token = tokenOf(mail);
    expect(token).not.toBe('');
    expect(header(mail, 'List-Unsubscribe')).toBe(
      `<${PUBLIC_URL}/unsubscribe/${token}>, <mailto:${UNSUBSCRIBE_MAILBOX}?subject=unsubscribe%20${token}>`,
    );
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.parsed.headers.get('list')).toMatchObject({
      unsubscribe: { url: `${PUBLIC_URL}/unsubscribe/${token}`, mail: expect.stringContaining(UNSUBSCRIBE_MAILBOX) },
    });
    expect(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).toBe(id);
  });

  it('adds them for a lifecycle template, and not for other mail or when the request says false', async () => {
    const welcome = { template: 'welcome', template_data: { name: 'Ada', action_url: 'https://app.example/start' } };
    const lifecycle = `life.${unique()}@example.com`;
    const plain = `plain.${unique()}@example.com`;
    const declined = `declined.${unique()}@example.com`;
    await Promise.all([send(lifecycle, welcome), send(plain), send(declined, { ...welcome, unsubscribe: false })]);
    expect(header(await mailTo(lifecycle), 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(tokenOf(await mailTo(lifecycle))).not.toBe('');
    expect(header(await mailTo(plain), 'List-Unsubscribe')).toBeUndefined();
    expect(header(await mailTo(declined), 'List-Unsubscribe')).toBeUndefined();
  });

  it('refuses a request that sets its own List-Unsubscribe header and asks for the one-click ones', async () => {
    const headers = { 'List-Unsubscribe': '<https://x.example/u>' };
    const body = { recipient: 'x@example.com', subject: 'Hi', text: 'Hi', unsubscribe: true, headers };
    const res = await sx.api('POST', '/v1/messages', body);
    expect(res.status).toBe(422);
    const conflict = { field: 'headers.List-Unsubscribe', code: 'conflicting_fields' };
    expect(res.body.error.errors).toEqual([expect.objectContaining(conflict)]);
  });

  it('GET shows a page with a POST button and changes nothing; POST unsubscribes, once', async () => {
    const address = `click.${unique()}@example.com`;
    const id = await send(address, { unsubscribe: true });
    const token = tokenOf(await mailTo(address));
    await finalMessage(id);

    const page = await request(sx.url, 'GET', `/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toMatch(/<form method="post">/);
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`)).status).toBe(404);
    const before = (await sx.api('GET', `/v1/messages/${id}`)).body.events.map((e: { type: string }) => e.type);
    expect(before).not.toContain('message.unsubscribed');

    expect((await post(token, 'something=else')).status).toBe(400);
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`)).status).toBe(404);

    const done = await post(token, 'List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(done.body).toContain('unsubscribed');
    const entry = await sx.api('GET', `/v1/suppressions/${enc(address)}`);
    expect(entry.body).toMatchObject({ reason: 'unsubscribed', source: 'unsubscribe_link', message_id: id });
    expect((await post(token, 'List-Unsubscribe=One-Click')).status).toBe(200);
    const events = (await sx.api('GET', `/v1/messages/${id}`)).body.events.map((e: { type: string }) => e.type);
    expect(events).toEqual(['message.queued', 'message.accepted', 'message.delivered', 'message.unsubscribed']);

    expect((await finalMessage(await send(address))).status).toBe('suppressed');
  });

  it('takes the form as multipart/form-data too', async () => {
    const address = `multipart.${unique()}@example.com`;
    await send(address, { unsubscribe: true });
    const token = tokenOf(await mailTo(address));
    const boundary = `----sx${unique()}`;
    const part = 'Content-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click';
    const body = `--${boundary}\r\n${part}\r\n--${boundary}--\r\n`;
    expect((await post(token, body, `multipart/form-data; boundary=${boundary}`)).status).toBe(200);
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`)).body.source).toBe('unsubscribe_link');
  });

  it('answers 404 to a forged, altered or unknown token, for GET and POST alike, and changes nothing', async () => {
    const address = `forged.${unique()}@example.com`;
    const id = await send(address, { unsubscribe: true });
    const token = tokenOf(await mailTo(address));
    const [idPart, sigPart = ''] = token.split('.');
    const secret = fs.readFileSync(path.join(sx.dataDir, 'unsubscribe-secret'), 'utf8').trim();
    const forged = [
      ['another secret', signUnsubscribeToken(id, 'not-the-server-secret-0123456789abcdef')],
      ['an altered signature', `${idPart}.${sigPart.startsWith('A') ? 'B' : 'A'}${sigPart.slice(1)}`],
      ['a message that does not exist', signUnsubscribeToken('msg_aaaaaaaaaaaaaaaaaaaaaaaaaa', secret)],
      ['garbage', 'nothing-here'],
    ];
    for (const [name, bad] of forged) {
      const got = await request(sx.url, 'GET', `/unsubscribe/${bad}`);
      const posted = await post(bad as string, 'List-Unsubscribe=One-Click');
      expect({ name, get: got.status, post: posted.status }).toEqual({ name, get: 404, post: 404 });
      expect(posted.body.error.code).toBe('not_found');
    }
    expect((await sx.api('GET', `/v1/suppressions/${enc(address)}`)).status).toBe(404);
  });

  it('keeps the generated signing secret in the data folder, readable by its owner only', () => {
    const stat = fs.statSync(path.join(sx.dataDir, 'unsubscribe-secret'));
    expect(stat.mode & 0o777).toBe(0o600);
  });
});
