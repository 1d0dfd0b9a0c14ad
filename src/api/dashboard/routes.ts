// /dashboard: a static page and a few ES modules, no build step, nothing from another origin. The page signs in
// with an API key kept in sessionStorage and calls /v1 with it; the server only hands out the files, read once
// at start-up, under a Content-Security-Policy that allows nothing but this origin.
import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { ApiError } from '../../errors';

const STATIC_DIR = path.join(__dirname, 'static');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** `default-src 'self'` covers scripts, styles, images and fetch; the rest shuts doors it leaves open. */
export const DASHBOARD_CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface StaticFile {
  body: Buffer;
  type: string;
}

function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of fs.readdirSync(STATIC_DIR)) {
    const type = CONTENT_TYPES[path.extname(name)];
    if (type) files.set(name, { body: fs.readFileSync(path.join(STATIC_DIR, name)), type });
  }
  return files;
}

export function dashboardRoutes(): Router {
  const files = loadStaticFiles();
  const router = new Router();
  const send = (ctx: Context, name: string) => {
    const file = files.get(name);
    if (!file) throw new ApiError('not_found', `no dashboard file ${name}`);
    ctx.set('Content-Security-Policy', DASHBOARD_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = file.type;
    ctx.body = file.body;
  };

  router.get('/dashboard', (ctx) => send(ctx, 'index.html'));
  router.get('/dashboard/', (ctx) => send(ctx, 'index.html'));
  router.get('/dashboard/:file', (ctx) => send(ctx, String(ctx.params.file)));
  return router;
}
