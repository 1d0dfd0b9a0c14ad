// Bad input gets a clear error and queues nothing: every refusal is checked for its status and code, and
// that neither the message list nor the SMTP peer saw anything.
import { randomUUID } from 'node:crypto';
import { request, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
let noDefaultFromKey: string;

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({ smtpUrl: peer.url });
  const project = await sx.api('POST', '/v1/projects', { name: 'no default sender' });
  noDefaultFromKey = project.body.api_key;
});

afterAll(async () => {
  await sx?.stop();
  await peer?.stop();
});

const valid = () => ({
  recipient: 'user@example.com',
  subject: 'Hello',
  text: 'Hello there',
  headers: { 'X-Idempotency-Key': randomUUID() },
});

async function expectNothingQueued() {
  const list = await sx.api('GET', '/v1/messages?limit=100');
  expect(list.body.data).toHaveLength(0);
  expect(peer.dataCount).toBe(0);
}

describe('malformed requests', () => {
  it('answers 400 to malformed JSON', async () => {
    const res = await sx.api('POST', '/v1/messages', '{"recipient": "a@example.com",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_request');
    await expectNothingQueued();
  });

  it.each([['an array', '[]'], ['a string', '"x"'], ['an empty body', '']])('answers 400 to %s', async (_name, body) => {
    const res = await sx.api('POST', '/v1/messages', body, { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
  });

  it('answers 413 to a payload over 50 MB', async () => {
    const big = JSON.stringify({ ...valid(), text: 'x'.repeat(51 * 1024 * 1024) });
    const res = await sx.api('POST', '/v1/messages', big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    await expectNothingQueued();
  });
});

describe('authentication', () => {
  it('answers 401 without a key and with a wrong key', async () => {
    const none = await request(sx.url, 'POST', '/v1/messages', valid());
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const wrong = await sx.api('POST', '/v1/messages', valid(), { authorization: 'Bearer sk_live_nottherightkey0000000000000000' });
    expect(wrong.status).toBe(401);
    await expectNothingQueued();
  });
});

describe('field validation', () => {
  it('lists every missing field at once', async () => {
    const res = await sx.api('POST', '/v1/messages', {});
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['recipient']));
  });

  it('lists subject and body when neither a template nor inline content is given', async () => {
    const res = await sx.api('POST', '/v1/messages', { recipient: 'a@example.com' });
    expect(res.status).toBe(422);
    const fields = res.body.error.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['subject', 'html']));
  });

  it('rejects unknown fields, naming them', async () => {
    const res = await sx.api('POST', '/v1/messages', { ...valid(), to: 'a@example.com' });
    expect(res.status).toBe(422);
    expect(res.body.error.errors).toContainEqual(expect.objectContaining({ field: 'to', code: 'unknown_field' }));
  });

  it.each([
    ['subject', { subject: 'Hi\r\nBcc: victim@example.com' }, 'subject'],
    ['recipient name', { recipient: 'Alice\nBcc: x@y.com <alice@example.com>' }, 'recipient'],
    ['from name', { from: 'Shop\r\n <shop@example.com>' }, 'from'],
    ['reply_to', { reply_to: 'a@example.com\r\nBcc: b@example.com' }, 'reply_to'],
    ['a custom header', { headers: { 'X-Campaign': 'a\r\nBcc: b@example.com' } }, 'headers.X-Campaign'],
  ])('rejects CR/LF in the %s with 422', async (_name, patch, field) => {
    const res = await sx.api('POST', '/v1/messages', { ...valid(), ...patch });
    expect(res.status).toBe(422);
    expect(res.body.error.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([
    ['a quoted local part', '"a@b"@evil.com'],
    ['a display-name address before the real one', 'alice@evil.com <bob@good.com>'],
    ['several @', 'a@b@good.com'],
    ['a comment', 'alice@good.com(evil.com)'],
    ['a source route', '<@evil.com:alice@good.com>'],
    ['two addresses', 'alice@good.com, bob@evil.com'],
    ['no domain', 'alice@'],
    ['no @', 'alice.example.com'],
  ])('refuses a recipient with %s', async (_name, recipient) => {
    const res = await sx.api('POST', '/v1/messages', { ...valid(), recipient });
    expect(res.status).toBe(422);
    expect(res.body.error.errors[0].field).toBe('recipient');
  });

  it('rejects a reserved header', async () => {
    const res = await sx.api('POST', '/v1/messages', { ...valid(), headers: { Bcc: 'x@example.com' } });
    expect(res.status).toBe(422);
    expect(res.body.error.errors[0]).toMatchObject({ field: 'headers.Bcc', code: 'reserved_header' });
  });

  it.each([
    ['without an offset', '2030-01-01T10:00:00'],
    ['unparseable', 'next tuesday'],
    ['a date only', '2030-01-01'],
  ])('rejects scheduled_time %s', async (_name, scheduled_time) => {
    const res = await sx.api('POST', '/v1/messages', { ...valid(), scheduled_time });
    expect(res.status).toBe(422);
    expect(res.body.error.errors[0]).toMatchObject({ field: 'scheduled_time', code: 'invalid_datetime' });
  });

  it('rejects an unknown template', async () => {
    const res = await sx.api('POST', '/v1/messages', { recipient: 'a@example.com', template: 'no-such-template' });
    expect(res.status).toBe(422);
    expect(res.body.error.errors[0]).toMatchObject({ field: 'template', code: 'unknown_template' });
  });

  it('rejects a template missing a variable, naming it', async () => {
    const res = await sx.api('POST', '/v1/messages', { recipient: 'a@example.com', template: 'otp-code', template_data: { expires_in: '5 minutes' } });
    expect(res.status).toBe(422);
    expect(res.body.error.errors).toContainEqual(expect.objectContaining({ field: 'template_data.code', code: 'missing_variable' }));
  });

  it('requires from when the project has no default sender', async () => {
    const res = await sx.api('POST', '/v1/messages', valid(), { authorization: `Bearer ${noDefaultFromKey}` });
    expect(res.status).toBe(422);
    expect(res.body.error.errors[0]).toMatchObject({ field: 'from', code: 'required' });
  });

  it('rejects attachments that are not base64', async () => {
    const res = await sx.api('POST', '/v1/messages', { ...valid(), attachments: [{ filename: 'a.txt', content: 'not base64!' }] });
    expect(res.status).toBe(422);
    expect(res.body.error.errors[0]).toMatchObject({ field: 'attachments.0.content', code: 'invalid_base64' });
  });

  it('queued nothing for any of the refusals above', async () => {
    await expectNothingQueued();
  });
});

describe('other errors', () => {
  it('answers 404 with the error shape for an unknown route and an unknown message', async () => {
    const route = await sx.api('GET', '/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('not_found');
    const message = await sx.api('GET', '/v1/messages/msg_unknown');
    expect(message.status).toBe(404);
  });

  it('serves the OpenAPI document built from the request schemas', async () => {
    const res = await request(sx.url, 'GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const schema = res.body.paths['/v1/messages'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['recipient']);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['recipient', 'template', 'template_data', 'scheduled_time']));
  });
});
