import { extractVariables, optionalVariables, renderTemplate, type RenderResult, type TemplateSource } from './render';
import { STARTER_TEMPLATES } from './starter';

const source = (subject: string, html = '', text = '', variables?: TemplateSource['variables']): TemplateSource => ({
  subject,
  html,
  text,
  ...(variables ? { variables } : {}),
});

function rendered(result: RenderResult): { subject: string; html: string; text: string } {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result;
}

describe('renderTemplate output', () => {
  type Output = Partial<{ subject: string; html: string; text: string }>;
  const cases: [string, TemplateSource, Record<string, unknown>, Output][] = [
    [
      'substitutes values in all three parts',
      source('Hi {{name}}', '<p>{{name}}</p>', 'Hello {{name}}'),
      { name: 'Ada' },
      { subject: 'Hi Ada', html: '<p>Ada</p>', text: 'Hello Ada' },
    ],
    [
      'escapes HTML in the html part only',
      source('{{v}}', '<p>{{v}}</p>', '{{v}}'),
      { v: '<b>"Tom & Jerry"</b>' },
      {
        subject: '<b>"Tom & Jerry"</b>',
        html: '<p>&lt;b&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt;</p>',
        text: '<b>"Tom & Jerry"</b>',
      },
    ],
    [
      'never interprets a value holding template syntax',
      source('{{v}}', '{{v}}', '{{v}}'),
      { v: '{{constructor}} {{#each x}}y{{/each}}' },
      { subject: '{{constructor}} {{#each x}}y{{/each}}', text: '{{constructor}} {{#each x}}y{{/each}}' },
    ],
    [
      'keeps replacement patterns like $& and $1 literal',
      source('Pay {{amount}}', '{{amount}}', '{{amount}}'),
      { amount: "$& $1 $' $`" },
      { subject: "Pay $& $1 $' $`", text: "$& $1 $' $`" },
    ],
    [
      'renders an optional variable that is absent as empty',
      source('Hi{{#if name}} {{name}}{{/if}}', '{{name}}', 'x', [{ name: 'name', required: false }]),
      {},
      { subject: 'Hi', html: '' },
    ],
    [
      'iterates arrays with each',
      source('{{#each items}}{{this}},{{/each}}', '{{#each items}}<li>{{name}}</li>{{/each}}'),
      { items: [{ name: 'a' }, { name: 'b' }] },
      { html: '<li>a</li><li>b</li>' },
    ],
    [
      'reads nested fields',
      source('{{user.first}} {{user.last}}'),
      { user: { first: 'Grace', last: 'Hopper' } },
      { subject: 'Grace Hopper' },
    ],
    [
      'renders numbers',
      source('{{n}} items'),
      { n: 3 },
      { subject: '3 items' },
    ],
  ];
  it.each(cases)('%s', (_name, template, data, expected) => {
    expect(rendered(renderTemplate(template, data))).toMatchObject(expected);
  });
});

describe('renderTemplate errors', () => {
  const INVALID_SUBJECT = { field: 'subject', code: 'invalid_template' };
  const cases: [string, TemplateSource, Record<string, unknown>, { field: string; code: string }[]][] = [
    [
      'reports one error per missing required variable',
      source('{{a}}', '{{b}}', '{{c}}'),
      { b: 'x' },
      [
        { field: 'template_data.a', code: 'missing_variable' },
        { field: 'template_data.c', code: 'missing_variable' },
      ],
    ],
    [
      'treats null and empty string as missing for a required variable',
      source('{{a}}{{b}}', '', '', [
        { name: 'a', required: true },
        { name: 'b', required: true },
      ]),
      { a: null, b: '' },
      [
        { field: 'template_data.a', code: 'missing_variable' },
        { field: 'template_data.b', code: 'missing_variable' },
      ],
    ],
    [
      'refuses a variable the declared list does not know, thanks to strict mode',
      source('{{typo}}', '', '', []),
      {},
      [{ field: 'template_data.typo', code: 'missing_variable' }],
    ],
    [
      'refuses a rendered subject containing CR/LF',
      source('Hello {{name}}'),
      { name: 'x\r\nBcc: victim@example.com' },
      [{ field: 'subject', code: 'header_injection' }],
    ],
    ['refuses a syntax error', source('{{#if a}}never closed'), { a: true }, [INVALID_SUBJECT]],
    ['refuses an unknown helper', source('{{shout name}}'), { name: 'x' }, [INVALID_SUBJECT]],
    ['refuses the log helper', source('{{log name}}'), { name: 'x' }, [INVALID_SUBJECT]],
    ['refuses partials', source('x', '{{> header}}'), {}, [{ field: 'html', code: 'invalid_template' }]],
    [
      'does not reach Object.prototype through a root lookup',
      source('{{constructor}}', '', '', []),
      {},
      [{ field: 'template_data.constructor', code: 'missing_variable' }],
    ],
  ];
  it.each(cases)('%s', (_name, template, data, expected) => {
    const result = renderTemplate(template, data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map(({ field, code }) => ({ field, code }))).toEqual(expected);
  });

  it('does not expose prototype properties of nested values', () => {
    // Handlebars reports each blocked property once on the console; that report is expected here.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = renderTemplate(source('[{{user.constructor}}][{{user.__proto__}}]'), { user: { name: 'x' } });
    consoleError.mockRestore();
    expect(result.ok ? result.subject : '').toBe('[][]');
  });

  it('refuses a path through a blocked prototype property instead of following it', () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = renderTemplate(source('{{user.constructor.name}}'), { user: { name: 'x' } });
    jest.restoreAllMocks();
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'missing_variable' }] });
  });
});

describe('renderTemplate cache', () => {
  it('gives the same output when the same source is rendered again with other data', () => {
    const t = source('Code {{code}}');
    expect(rendered(renderTemplate(t, { code: '1' })).subject).toBe('Code 1');
    expect(rendered(renderTemplate({ ...t }, { code: '2' })).subject).toBe('Code 2');
  });

  it('keeps html and plain compilations of one source apart', () => {
    const t = source('{{v}}', '{{v}}', '{{v}}');
    const out = rendered(renderTemplate(t, { v: '<i>' }));
    expect([out.subject, out.html, out.text]).toEqual(['<i>', '&lt;i&gt;', '<i>']);
  });
});

describe('extractVariables', () => {
  const cases: [string, string, string[]][] = [
    ['finds plain variables, sorted and unique', '{{b}} {{a}} {{b}}', ['a', 'b']],
    ['takes the root of a nested path', '{{user.name}} {{user.email}}', ['user']],
    ['finds helper arguments but not helper names', '{{#if flag}}{{lookup map key}}{{/if}}', ['flag', 'key', 'map']],
    ['finds variables in else branches', '{{#if a}}x{{else if b}}{{c}}{{else}}{{d}}{{/if}}', ['a', 'b', 'c', 'd']],
    ['leaves out fields of each items', '{{#each items}}{{name}} {{../title}}{{/each}}', ['items', 'title']],
    ['leaves out block params', '{{#each rows as |row|}}{{row.id}}{{/each}}', ['rows']],
    ['reads @root paths inside blocks', '{{#with user}}{{@root.site}} {{@index}}{{/with}}', ['site', 'user']],
    ['reads this-prefixed paths at the root', '{{this.plan}}', ['plan']],
    ['finds triple-stash and subexpression variables', '{{{raw}}} {{lookup (lookup a b) c}}', ['a', 'b', 'c', 'raw']],
    ['ignores comments and literals', '{{! {{hidden}} }}{{lookup "x" 1}}', []],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(extractVariables(text)).toEqual(expected);
  });

  it('merges the variables of subject, html and text', () => {
    expect(extractVariables(source('{{a}}', '{{b}}', '{{c}}'))).toEqual(['a', 'b', 'c']);
  });

  it('throws on a syntax error', () => {
    expect(() => extractVariables('{{#if}}')).toThrow();
  });
});

describe('optionalVariables', () => {
  it('treats a variable tested with #if or #unless as optional', () => {
    const sources = { subject: 'Invoice {{number}}', html: '{{#if url}}<a href="{{url}}">pay</a>{{/if}}', text: '{{#unless quiet}}hi{{/unless}}' };
    expect([...optionalVariables(sources)].sort()).toEqual(['quiet', 'url']);
  });

  it('agrees with what each starter template declares, so a starter PUT back unchanged keeps its contract', () => {
    for (const t of STARTER_TEMPLATES) {
      const optional = optionalVariables(t);
      const declaredOptional = (t.variables ?? []).filter((v) => !v.required).map((v) => v.name);
      expect({ name: t.name, optional: [...optional].sort() }).toEqual({ name: t.name, optional: declaredOptional.sort() });
    }
  });

  it('ignores guards inside #each, whose names belong to each item', () => {
    expect(optionalVariables({ subject: 's', html: '{{#each items}}{{#if note}}{{note}}{{/if}}{{/each}}', text: '' }).size).toBe(0);
  });
});
