// Renders a template's subject, HTML and text with Handlebars in its most closed-down form: strict lookups, only the
// built-in helpers, no partials, no prototype access. Values are data, never template source.
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';

export type TemplateVariable = { name: string; required: boolean };
export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
  /** When absent, every variable the sources use is required. */
  variables?: TemplateVariable[];
}
export type RenderErrorCode = 'missing_variable' | 'invalid_template' | 'header_injection';
export type RenderError = { field: string; code: RenderErrorCode; message: string };
export type RenderResult =
  | { ok: true; subject: string; html: string; text: string }
  | { ok: false; errors: RenderError[] };

type Part = 'subject' | 'html' | 'text';
const PARTS: readonly Part[] = ['subject', 'html', 'text'];
const MAX_CACHED_TEMPLATES = 500;
const NOT_DEFINED = /^"([^"]+)" not defined in/;

const handlebars = Handlebars.create();
// `log` would let a template write to the server's console.
handlebars.unregisterHelper('log');
const KNOWN_HELPERS = { if: true, unless: true, each: true, with: true, lookup: true, log: false };
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
};
const cache = new Map<string, Handlebars.TemplateDelegate>();

function compiled(source: string, escapeHtml: boolean): Handlebars.TemplateDelegate {
  const key = createHash('sha256').update(escapeHtml ? 'html\0' : 'raw\0').update(source).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const template = handlebars.compile(source, {
    strict: true,
    knownHelpers: KNOWN_HELPERS,
    knownHelpersOnly: true,
    noEscape: !escapeHtml,
  });
  if (cache.size >= MAX_CACHED_TEMPLATES) cache.delete(cache.keys().next().value as string);
  cache.set(key, template);
  return template;
}

/** Renders all three parts, or lists every missing variable and template error (never a partial result). */
export function renderTemplate(t: TemplateSource, data: Record<string, unknown>): RenderResult {
  const errors: RenderError[] = [];
  let variables = t.variables;
  if (!variables) {
    try {
      variables = extractVariables(t).map((name) => ({ name, required: true }));
    } catch {
      variables = [];
    }
  }
  // A null-prototype copy: strict lookups then see only the caller's own keys, never Object.prototype. Handlebars puts
  // the context into its "not defined" message, which needs a string form; a symbol key is out of templates' reach.
  const toPrimitive = { value: () => 'template data' };
  const context = Object.create(null, { [Symbol.toPrimitive]: toPrimitive }) as Record<string, unknown>;
  for (const [key, value] of Object.entries(data ?? {})) context[key] = value;
  for (const v of variables) {
    const value = context[v.name];
    const missing = value === undefined || value === null || value === '';
    if (missing && v.required) {
      errors.push({ field: `template_data.${v.name}`, code: 'missing_variable', message: `${v.name} is required` });
    } else if (value === undefined) {
      context[v.name] = null; // declared optional: present for strict mode, falsy for {{#if}}
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const out: Partial<Record<Part, string>> = {};
  for (const part of PARTS) {
    try {
      out[part] = compiled(t[part], part === 'html')(context, RUNTIME_OPTIONS);
    } catch (err) {
      errors.push(toRenderError(part, err));
    }
  }
  if (out.subject !== undefined && /[\r\n]/.test(out.subject)) {
    errors.push({ field: 'subject', code: 'header_injection', message: 'rendered subject contains CR or LF' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, subject: out.subject ?? '', html: out.html ?? '', text: out.text ?? '' };
}

function toRenderError(part: Part, err: unknown): RenderError {
  const message = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
  const undefinedName = NOT_DEFINED.exec(message)?.[1];
  if (undefinedName) {
    const field = `template_data.${undefinedName}`;
    return { field, code: 'missing_variable', message: `${undefinedName} is required` };
  }
  return { field: part, code: 'invalid_template', message: `${part}: ${message}` };
}

/**
 * The root-context variables the sources use (`user` for `{{user.name}}`), sorted; names inside `#each`/`#with`
 * blocks refer to the items, not the caller's data, and are left out. Throws on a template syntax error.
 */
export function extractVariables(sources: string | Pick<TemplateSource, Part>): string[] {
  const texts = typeof sources === 'string' ? [sources] : PARTS.map((p) => sources[p]);
  const names = new Set<string>();
  for (const text of texts) walk(handlebars.parse(text), 0, names);
  return [...names].sort();
}

type Node = hbs.AST.Node | null | undefined;

function walk(node: Node, level: number, names: Set<string>): void {
  if (!node) return;
  switch (node.type) {
    case 'Program':
      for (const statement of (node as hbs.AST.Program).body) walk(statement, level, names);
      return;
    case 'PathExpression': {
      const path = node as hbs.AST.PathExpression;
      const isRoot = path.data ? path.parts[0] === 'root' : path.depth === level;
      const first = path.data ? path.parts[1] : path.parts[0];
      if (isRoot && first) names.add(first);
      return;
    }
    case 'MustacheStatement':
    case 'SubExpression':
    case 'BlockStatement': {
      const call = node as hbs.AST.BlockStatement;
      const hasHash = (call.hash?.pairs.length ?? 0) > 0;
      const isHelperCall = call.params.length > 0 || hasHash || node.type === 'SubExpression';
      const helper = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : '';
      if (!isHelperCall) walk(call.path, level, names);
      for (const param of call.params) walk(param, level, names);
      for (const pair of call.hash?.pairs ?? []) walk(pair.value, level, names);
      // each/with and a bare `{{#items}}` block change the context of their body, not of their {{else}}.
      const changesContext = helper === 'each' || helper === 'with' || !isHelperCall;
      walk(call.program, changesContext ? level + 1 : level, names);
      walk(call.inverse, level, names);
      return;
    }
    default:
      return;
  }
}

/**
 * Variables a template tests with `{{#if name}}` or `{{#unless name}}`: the template is written to work
 * without them, so they are optional; every other variable it uses is required.
 */
export function optionalVariables(sources: Pick<TemplateSource, Part>): Set<string> {
  const guarded = new Set<string>();
  const visit = (node: Node): void => {
    if (!node) return;
    if (node.type === 'Program') (node as hbs.AST.Program).body.forEach(visit);
    if (node.type !== 'BlockStatement') return;
    const block = node as hbs.AST.BlockStatement;
    const helper = block.path.type === 'PathExpression' ? (block.path as hbs.AST.PathExpression).original : '';
    const [param] = block.params;
    if ((helper === 'if' || helper === 'unless') && param?.type === 'PathExpression') {
      const name = (param as hbs.AST.PathExpression).parts[0];
      if (name) guarded.add(name);
    }
    // Inside each/with the names belong to another context; only top-level guards count.
    if (helper !== 'each' && helper !== 'with') visit(block.program);
    visit(block.inverse);
  };
  for (const part of PARTS) visit(handlebars.parse(sources[part]));
  return guarded;
}
