import { STARTER_TEMPLATES } from '../../templates/starter';
import { checkTemplateSources } from './validate';

const ok = { subject: 'Hello {{name}}', html: '<p>{{name}} {{#if code}}{{code}}{{/if}}</p>', text: 'Hi {{name}}' };

describe('checkTemplateSources', () => {
  it('lists every variable of every part, sorted, optional only when an #if guards it', () => {
    expect(checkTemplateSources({ ...ok, text: '{{greeting}} {{name}}' })).toEqual({
      ok: true,
      variables: [
        { name: 'code', required: false },
        { name: 'greeting', required: true },
        { name: 'name', required: true },
      ],
    });
  });

  it('accepts a template with only a text part and no variables', () => {
    const result = checkTemplateSources({ subject: 'Plain', html: '', text: 'No variables here }}' });
    expect(result).toEqual({ ok: true, variables: [] });
  });

  const broken: [string, Partial<typeof ok>, string, string][] = [
    ['an unclosed block in html', { html: '{{#if x}}open' }, 'html', 'invalid_template'],
    ['an unterminated mustache in the subject', { subject: 'Hi {{name' }, 'subject', 'invalid_template'],
    ['a stray closing block in text', { text: '{{/if}}' }, 'text', 'invalid_template'],
    ['an unknown helper', { html: '{{shout name}}' }, 'html', 'invalid_template'],
    ['a partial', { text: '{{> footer}}' }, 'text', 'invalid_template'],
    ['a partial inside a block', { html: '{{#if x}}{{> footer}}{{/if}}' }, 'html', 'invalid_template'],
    ['a decorator', { html: '{{* inline}}' }, 'html', 'invalid_template'],
    ['triple braces in html', { html: '<p>{{{name}}}</p>' }, 'html', 'invalid_template'],
    ['an ampersand mustache in html', { html: '<p>{{& name}}</p>' }, 'html', 'invalid_template'],
    ['an #each without an iterator', { text: '{{#each}}x{{/each}}' }, 'text', 'invalid_template'],
    ['a line break in the subject', { subject: 'Hello\nBcc: x@example.com' }, 'subject', 'header_injection'],
    ['neither html nor text', { html: '', text: '' }, 'html', 'required'],
  ];
  it.each(broken)('refuses %s, naming the part', (_name, change, field, code) => {
    const result = checkTemplateSources({ ...ok, ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual(expect.objectContaining({ field, code }));
    for (const e of result.errors.filter((x) => x.code === 'invalid_template')) {
      expect(e.message.startsWith(`${e.field}: `)).toBe(true);
    }
  });

  it('allows triple braces in text and subject, where nothing is escaped anyway', () => {
    expect(checkTemplateSources({ ...ok, subject: '{{{name}}}', text: '{{{name}}}' }).ok).toBe(true);
  });

  it('reports a broken part in each part at once', () => {
    const result = checkTemplateSources({ subject: '{{', html: '{{#if}}', text: '{{/x}}' });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['subject', 'html', 'text']);
  });

  it('keeps the headline and the expectation of a parse error', () => {
    const result = checkTemplateSources({ ...ok, html: '{{#if x}}open' });
    const message = result.ok ? '' : result.errors[0]?.message;
    expect(message).toMatch(/^html: Parse error on line 1: Expecting .*got 'EOF'$/);
  });
});

describe('the starter templates', () => {
  const starters = STARTER_TEMPLATES.map((t) => [t.name, t] as const);
  it.each(starters)('%s passes the checks, so it can be stored back as read', (_n, t) => {
    expect(checkTemplateSources(t)).toMatchObject({ ok: true });
  });
});
