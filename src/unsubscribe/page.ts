// The small pages a person sees: the confirmation behind the link (its button POSTs, so that link scanners,
// which only GET, unsubscribe nobody) and the answer after unsubscribing. Nothing in them comes from a request.
import type { Context } from 'koa';

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${title}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}',
    'button{font-size:1rem;padding:.6rem 1.2rem;cursor:pointer}</style>',
    `</head><body>${body}</body></html>`,
  ].join('\n');
}

/** The page behind the link: a form that POSTs `List-Unsubscribe=One-Click` back to the same URL. */
export const CONFIRM_PAGE = page(
  'Unsubscribe',
  '<h1>Unsubscribe</h1>\n<p>Stop receiving these emails at this address?</p>\n' +
    '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">' +
    '<button type="submit">Unsubscribe</button></form>',
);

export const DONE_PAGE = page(
  'Unsubscribed',
  '<h1>You are unsubscribed</h1>\n<p>No more of these emails will be sent to this address.</p>',
);

/** Answers an HTML page that is neither cached nor indexed, and sends no Referer (the URL holds the token). */
export function sendPage(ctx: Context, html: string): void {
  ctx.status = 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Robots-Tag', 'noindex');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  ctx.body = html;
}
