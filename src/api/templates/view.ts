// How a template reads over the API. Lists leave out the bodies, which can be large.
import type { Template } from '../../../generated/prisma/client';

export function templateSummary(t: Template) {
  return {
    name: t.name,
    category: t.category,
    subject: t.subject,
    variables: t.variables,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

export function templateView(t: Template) {
  return { ...templateSummary(t), html: t.html, text: t.text };
}
