// What the bench sends: one OTP-sized message, through Sendarix's API or, for the baseline, nodemailer.
import { BENCH_API_KEY, type BenchEnv } from './environment';

export const SUBJECT = 'Your verification code';
export const TEXT = 'Your verification code is 847291. It expires in 5 minutes.';
export const HTML = '<p>Your verification code is <strong>847291</strong>.</p><p>It expires in 5 minutes.</p>';

export const AUTH_HEADERS = { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' };

export function messageBody(recipient: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { recipient, subject: SUBJECT, text: TEXT, html: HTML, ...extra };
}

/** POST /v1/messages; resolves with the message id, throws on anything but 202. */
export async function sendMessage(env: BenchEnv, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${env.apiUrl}/v1/messages`, {
    method: 'POST',
    headers: AUTH_HEADERS,
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/messages answered ${res.status}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { message_id: string }).message_id;
}

/** POST /v1/messages/batch; resolves with the number of items accepted. */
export async function sendBatch(env: BenchEnv, bodies: Record<string, unknown>[]): Promise<number> {
  const res = await fetch(`${env.apiUrl}/v1/messages/batch`, {
    method: 'POST',
    headers: AUTH_HEADERS,
    body: JSON.stringify({ messages: bodies }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /v1/messages/batch answered ${res.status}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { data: { status: number }[] }).data.filter((d) => d.status === 202).length;
}
