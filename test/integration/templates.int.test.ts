// Templates end to end: the API stores and checks them, a preview renders them, and a send renders them into the
// MIME the SMTP peer receives, where values must be literal in subject and text and escaped in HTML.
import { randomUUID } from 'node:crypto';
import { request, type SendarixProcess } from '../support/sendarix';
import type { SmtpPeer } from '../support/smtp-peer';
import { withPeerAndSendarix } from '../support/with-peer';

let peer: SmtpPeer;
let sx: SendarixProcess;
withPeerAndSendarix((world) => ({ peer, sx } = world));

const unique = () => randomUUID().slice(0, 8);
const as = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function newProject(): Promise<string> {
  const body = { name: `templates ${unique()}`, default_from: 'Tests <tests@sendarix.test>' };
  const res = await sx.api('POST', '/v1/projects', body);
  expect(res.status).toBe(201);
  return res.body.api_key as string;
}

async function create(body: Record<string, unknown>, key = sx.apiKey) {
  const res = await sx.api('POST', '/v1/templates', body, as(key));
  if (res.status !== 201) throw new Error(`template not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function sendWith(template: string, data: Record<string, unknown>, key = sx.apiKey) {
  const recipient = `tpl.${unique()}@example.com`;
  const res = await sx.api('POST', '/v1/messages', { recipient, template, template_data: data }, as(key));
  return { res, recipient };
}

describe('the template API', () => {
  it('creates, reads, lists, replaces and deletes a template, with its variables read from the sources', async () => {
    const name = `receipt-${unique()}`;
    const text = '{{amount}} {{#if note}}{{note}}{{/if}}';
    const created = await create({ name, subject: 'Receipt {{number}}', html: '<p>{{amount}}</p>', text });
    expect(created).toMatchObject({
      name,
      category: 'transactional',
      subject: 'Receipt {{number}}',
      html: '<p>{{amount}}</p>',
      variables: [
        { name: 'amount', required: true },
        { name: 'note', required: false },
        { name: 'number', required: true },
      ],
    });
    expect((await sx.api('GET', `/v1/templates/${name}`)).body).toEqual(created);
    // The #if-guarded variable may be left out; the others may not.
    const preview = await sx.api('POST', `/v1/templates/${name}/render`, { template_data: { amount: '9 EUR', number: '7' } });
    expect(preview.status).toBe(200);
    expect(preview.body.text.trim()).toBe('9 EUR');

    const list = await sx.api('GET', '/v1/templates');
    const names = list.body.data.map((t: { name: string }) => t.name);
    const starters = ['otp-code', 'welcome', 'invoice', 'password-reset', 'security-alert'];
    expect(names).toEqual(expect.arrayContaining([name, ...starters]));
    expect(list.body.data.find((t: { name: string }) => t.name === name)).not.toHaveProperty('html');

    const replacement = { subject: 'Paid: {{ref}}', text: 'Thanks', category: 'billing' };
    const replaced = await sx.api('PUT', `/v1/templates/${name}`, replacement);
    expect(replaced.status).toBe(200);
    const variables = [{ name: 'ref', required: true }];
    expect(replaced.body).toMatchObject({ ...replacement, name, html: '', variables });

    expect((await sx.api('DELETE', `/v1/templates/${name}`)).body).toEqual({ name, deleted: true });
    expect((await sx.api('GET', `/v1/templates/${name}`)).status).toBe(404);
    expect((await sx.api('DELETE', `/v1/templates/${name}`)).status).toBe(404);
    expect((await sx.api('PUT', `/v1/templates/${name}`, { subject: 'x', text: 'x' })).status).toBe(404);
  });

  it('previews a render as a send would, and fails as a send would when a variable is missing', async () => {
    const name = `preview-${unique()}`;
    await create({ name, subject: 'Code {{code}}', html: '<b>{{code}}</b>', text: 'Code: {{code}} ({{ttl}})' });
    const ok = await sx.api('POST', `/v1/templates/${name}/render`, { template_data: { code: '12<3>', ttl: '5 min' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ subject: 'Code 12<3>', html: '<b>12&lt;3&gt;</b>', text: 'Code: 12<3> (5 min)' });

    const preview = await sx.api('POST', `/v1/templates/${name}/render`, { template_data: { code: '1' } });
    const { res: sent } = await sendWith(name, { code: '1' });
    for (const res of [preview, sent]) {
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'validation_failed' });
      const missing = { field: 'template_data.ttl', code: 'missing_variable' };
      expect(res.body.error.errors).toEqual([expect.objectContaining(missing)]);
    }
    expect((await sx.api('POST', `/v1/templates/nope-${unique()}/render`, { template_data: {} })).status).toBe(404);
  });

  it('seeds the starter set in every new project, editable there without touching other projects', async () => {
    const key = await newProject();
    const starter = await sx.api('GET', '/v1/templates/otp-code', undefined, as(key));
    expect(starter).toMatchObject({ status: 200, body: { category: 'otp' } });
    const { html, text, category } = starter.body as Record<string, string>;
    const edited = { subject: 'Edited {{code}}', html, text, category };
    const put = await sx.api('PUT', '/v1/templates/otp-code', edited, as(key));
    expect(put.status).toBe(200);

    const { res, recipient } = await sendWith('otp-code', { code: '424242', expires_in: '5 minutes' }, key);
    expect(res.status).toBe(202);
    expect((await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000)).parsed.subject).toBe('Edited 424242');
    expect((await sx.api('GET', '/v1/templates/otp-code')).body.subject).toBe('{{code}} is your verification code');
  });
});

describe('bad templates are refused at write time with a 422 naming the part', () => {
  const base = { subject: 'Hi {{name}}', html: '<p>{{name}}</p>', text: 'Hi {{name}}' };
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['an unclosed block in html', { html: '{{#if name}}<p>open' }, 'html', 'invalid_template'],
    ['an unterminated mustache in the subject', { subject: 'Hi {{name' }, 'subject', 'invalid_template'],
    ['a stray closing block in text', { text: 'Hi {{/if}}' }, 'text', 'invalid_template'],
    ['an unknown helper', { html: '{{uppercase name}}' }, 'html', 'invalid_template'],
    ['a partial', { text: '{{> footer}}' }, 'text', 'invalid_template'],
    ['raw HTML insertion', { html: '<p>{{{name}}}</p>' }, 'html', 'invalid_template'],
    ['a line break in the subject', { subject: 'Hi\r\nBcc: x@example.com' }, 'subject', 'header_injection'],
    ['neither html nor text', { html: undefined, text: undefined }, 'html', 'required'],
    ['a name with upper case', { name: 'Welcome' }, 'name', 'invalid_format'],
    ['a name starting with a dash', { name: '-welcome' }, 'name', 'invalid_format'],
    ['a name of 65 characters', { name: 'a'.repeat(65) }, 'name', 'invalid_format'],
    ['an unknown category', { category: 'marketing' }, 'category', 'invalid_value'],
    ['no subject', { subject: undefined }, 'subject', 'required'],
    ['an unknown field', { layout: 'x' }, 'layout', 'unknown_field'],
  ];
  it.each(cases)('%s', async (_name, change, field, code) => {
    const body = { name: `bad-${unique()}`, ...base, ...change };
    const res = await sx.api('POST', '/v1/templates', body);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining(field) });
    expect(res.body.error.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    if (typeof body.name === 'string' && /^[a-z0-9]/.test(body.name)) {
      expect((await sx.api('GET', `/v1/templates/${body.name}`)).status).toBe(404);
    }
  });

  it('refuses the same on replace, and keeps the stored template', async () => {
    const name = `keep-${unique()}`;
    await create({ name, ...base });
    const res = await sx.api('PUT', `/v1/templates/${name}`, { ...base, html: '{{#each}}x{{/each}}' });
    expect(res.status).toBe(422);
    expect(res.body.error.errors).toEqual([expect.objectContaining({ field: 'html', code: 'invalid_template' })]);
    expect((await sx.api('GET', `/v1/templates/${name}`)).body.html).toBe(base.html);
    const renamed = await sx.api('PUT', `/v1/templates/${name}`, { ...base, name: 'other' });
    expect(renamed.body.error.errors).toEqual([expect.objectContaining({ field: 'name', code: 'immutable' })]);
  });

  it('refuses a second template of the same name', async () => {
    const name = `twice-${unique()}`;
    await create({ name, ...base });
    const res = await sx.api('POST', '/v1/templates', { name, ...base });
    expect(res.status).toBe(422);
    expect(res.body.error.errors).toEqual([expect.objectContaining({ field: 'name', code: 'already_exists' })]);
  });

  it('answers 400 to malformed JSON, 403 without the templates scope and 401 without a key', async () => {
    expect((await sx.api('POST', '/v1/templates', '{"name":')).body.error.code).toBe('malformed_request');
    const key = await sx.api('POST', '/v1/keys', { label: 'sender', scopes: ['send'] });
    const forbidden = await sx.api('GET', '/v1/templates', undefined, as(key.body.secret));
    expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await request(sx.url, 'GET', '/v1/templates')).status).toBe(401);
  });
});

describe('projects are isolated', () => {
  it("never shows, renders, sends with, changes or deletes another project's template", async () => {
    const other = await newProject();
    const name = `theirs-${unique()}`;
    await create({ name, subject: 'Theirs', text: 'Theirs' }, other);
    const missing = `missing-${unique()}`;

    const read = await sx.api('GET', `/v1/templates/${name}`);
    expect(read.status).toBe(404);
    expect(read.body.error.message.replace(name, '<n>')).toBe(
      (await sx.api('GET', `/v1/templates/${missing}`)).body.error.message.replace(missing, '<n>'),
    );
    expect((await sx.api('POST', `/v1/templates/${name}/render`, { template_data: {} })).status).toBe(404);
    expect((await sx.api('PUT', `/v1/templates/${name}`, { subject: 'Mine', text: 'Mine' })).status).toBe(404);
    expect((await sx.api('DELETE', `/v1/templates/${name}`)).status).toBe(404);
    expect(JSON.stringify((await sx.api('GET', '/v1/templates')).body)).not.toContain(name);
    const { res } = await sendWith(name, {});
    expect(res.body.error.errors).toEqual([expect.objectContaining({ field: 'template', code: 'unknown_template' })]);

    expect((await sx.api('GET', `/v1/templates/${name}`, undefined, as(other))).body.subject).toBe('Theirs');
  });
});

describe('values are data, never markup or template syntax', () => {
  // Handlebars escapes & < > " ' ` = in HTML; subject and text keep every value as given.
  const values: [string, string, string][] = [
    ['a script tag', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['double quotes', 'say "hi"', 'say &quot;hi&quot;'],
    ['single quotes', "it's", 'it&#x27;s'],
    ['an ampersand', 'Tom & Jerry', 'Tom &amp; Jerry'],
    ['an existing entity', '&amp;', '&amp;amp;'],
    ['template syntax', '{{x}}', '{{x}}'],
    ['triple braces', '{{{code}}}', '{{{code}}}'],
    ['a block', '{{#each a}}b{{/each}}', '{{#each a}}b{{/each}}'],
    ['a replacement pattern $&', 'pay $& now', 'pay $&amp; now'],
    ['a replacement pattern $1', 'cost $1 and $$', 'cost $1 and $$'],
    ['a replacement pattern $`', 'before $` after', 'before $&#x60; after'],
    ['closing braces', 'a }} b', 'a }} b'],
    ['backslashes', 'C:\\path\\{{x}}\\n', 'C:\\path\\{{x}}\\n'],
    ['an equals sign and a backtick', 'a=`b`', 'a&#x3D;&#x60;b&#x60;'],
    ['non-ASCII', 'Zoë → ✓', 'Zoë → ✓'],
  ];
  let name: string;

  beforeAll(async () => {
    name = `escape-${unique()}`;
    await create({ name, subject: 'S[{{v}}]', html: '<p>H[{{v}}]</p>', text: 'T[{{v}}]' });
  });

  const title = '%s: literal in subject and text, escaped in HTML, as the SMTP peer receives it';
  it.each(values)(title, async (_n, value, escaped) => {
    const { res, recipient } = await sendWith(name, { v: value });
    expect(res.status).toBe(202);
    const mail = await peer.waitFor((m) => m.envelope.to.includes(recipient), 30_000);
    expect(mail.parsed.subject).toBe(`S[${value}]`);
    expect(mail.parsed.text?.trim()).toBe(`T[${value}]`);
    expect(mail.parsed.html).toContain(`<p>H[${escaped}]</p>`);

    const preview = await sx.api('POST', `/v1/templates/${name}/render`, { template_data: { v: value } });
    expect(preview.body).toEqual({ subject: `S[${value}]`, html: `<p>H[${escaped}]</p>`, text: `T[${value}]` });
  });

  it('refuses a value that would put a line break into the subject', async () => {
    const { res } = await sendWith(name, { v: 'x\r\nBcc: victim@example.com' });
    expect(res.status).toBe(422);
    expect(res.body.error.errors).toEqual([expect.objectContaining({ field: 'subject', code: 'header_injection' })]);
  });
});
