// Checks template sources before they are stored, so that a broken template is refused when it is written rather
// than on every send: each part must parse, compile under the renderer's rules (built-in helpers only), use no
// partials or decorators, and in HTML insert values only escaped. Errors name the part.
import Handlebars from 'handlebars';
import type { FieldError } from '../../errors';
import { extractVariables, optionalVariables, renderTemplate, type TemplateVariable } from '../../templates/render';
import type { TemplateSources } from './schemas';

type Part = keyof TemplateSources;
const PARTS: readonly Part[] = ['subject', 'html', 'text'];

export type SourcesCheck = { ok: true; variables: TemplateVariable[] } | { ok: false; errors: FieldError[] };

/** The variables to store (optional when the template tests them with #if/#unless), or field errors naming each broken part. */
export function checkTemplateSources(t: TemplateSources): SourcesCheck {
  const errors: FieldError[] = [];
  for (const part of PARTS) {
    try {
      extractVariables(t[part]);
    } catch (err) {
      errors.push(invalid(part, syntaxMessage(err)));
      continue;
    }
    const construct = forbiddenConstruct(Handlebars.parse(t[part]), part === 'html');
    if (construct) errors.push(invalid(part, construct));
  }
  if (/[\r\n]/.test(t.subject)) {
    errors.push({ field: 'subject', code: 'header_injection', message: 'subject must not contain CR or LF' });
  }
  if (t.html === '' && t.text === '') {
    errors.push({ field: 'html', code: 'required', message: 'give html or text (or both)' });
  }
  if (errors.length > 0) return { ok: false, errors };

  // Rendering with no data stops each part at its first variable; what fails before that, or while compiling (an
  // unknown helper), fails for any data.
  const trial = renderTemplate({ ...t, variables: [] }, {});
  const compileErrors = trial.ok ? [] : trial.errors.filter((e) => e.code === 'invalid_template');
  if (compileErrors.length > 0) return { ok: false, errors: compileErrors };
  const optional = optionalVariables(t);
  return { ok: true, variables: extractVariables(t).map((name) => ({ name, required: !optional.has(name) })) };
}

function invalid(part: Part, message: string): FieldError {
  return { field: part, code: 'invalid_template', message: `${part}: ${message}` };
}

/** Handlebars puts the source and a caret between the headline and what it expected; keep the two ends. */
function syntaxMessage(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  return lines.length > 1 && last?.startsWith('Expecting') ? `${lines[0]} ${last}` : (lines[0] ?? 'invalid template');
}

function forbiddenConstruct(node: hbs.AST.Node | null | undefined, html: boolean): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'Program':
      for (const statement of (node as hbs.AST.Program).body) {
        const found = forbiddenConstruct(statement, html);
        if (found) return found;
      }
      return undefined;
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return 'partials ({{> name}}) are not available';
    case 'Decorator':
    case 'DecoratorBlock':
      return 'decorators ({{* name}}) are not available';
    case 'MustacheStatement':
      return html && !(node as hbs.AST.MustacheStatement).escaped
        ? '{{{…}}} and {{& …}} would insert values as raw HTML; use {{…}}, which escapes them'
        : undefined;
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      return forbiddenConstruct(block.program, html) ?? forbiddenConstruct(block.inverse, html);
    }
    default:
      return undefined;
  }
}
