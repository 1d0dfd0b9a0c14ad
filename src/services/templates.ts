// Stored templates, per project. Each new project starts with an editable copy of the starter set.
import type { Db } from '../db/client';
import { randomId } from '../ids';
import type { TemplateSource } from '../templates/render';
import { STARTER_TEMPLATES } from '../templates/starter';

export async function findTemplate(
  prisma: Db,
  projectId: string,
  name: string,
): Promise<(TemplateSource & { category: string }) | undefined> {
  const row = await prisma.template.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) return undefined;
  return {
    category: row.category,
    subject: row.subject,
    html: row.html,
    text: row.text,
    variables: row.variables as unknown as TemplateSource['variables'],
  };
}

/** Adds the starter templates a project lacks; an edited template is left as it is. */
export async function seedStarterTemplates(prisma: Db, projectId: string): Promise<void> {
  for (const t of STARTER_TEMPLATES) {
    await prisma.template.upsert({
      where: { projectId_name: { projectId, name: t.name } },
      create: {
        id: randomId('tpl'),
        projectId,
        name: t.name,
        category: t.category,
        subject: t.subject,
        html: t.html,
        text: t.text,
        variables: t.variables as unknown as object,
      },
      update: {},
    });
  }
}
