// The project that the bootstrap key belongs to, made sure of at start-up. Its default sender follows
// SENDARIX_DEFAULT_FROM; projects made through the API keep their own.
import type { Db } from '../db/client';
import { ensureKey, SCOPES } from './api-keys';
import { seedStarterTemplates } from './templates';

export const DEFAULT_PROJECT_ID = 'proj_default';

export async function bootstrapProject(
  prisma: Db,
  opts: { apiKey?: string; defaultFrom?: string },
): Promise<void> {
  await prisma.project.upsert({
    where: { id: DEFAULT_PROJECT_ID },
    create: { id: DEFAULT_PROJECT_ID, name: 'Default project', defaultFrom: opts.defaultFrom },
    update: opts.defaultFrom ? { defaultFrom: opts.defaultFrom } : {},
  });
  await seedStarterTemplates(prisma, DEFAULT_PROJECT_ID);
  if (opts.apiKey) {
    await ensureKey(prisma, { projectId: DEFAULT_PROJECT_ID, secret: opts.apiKey, label: 'bootstrap', scopes: SCOPES });
  }
}
