// The delivery target of `npm start` without SMTP_URL: a loopback SMTP server that accepts every message and keeps
// it as an .eml file, so a developer sees exactly what would have gone out without any mail leaving the machine.
import { open, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type pino from 'pino';
import { SMTPServer } from 'smtp-server';

export interface SandboxMessage {
  /** Absolute path of the .eml file. */
  file: string;
  recipient: string;
  subject: string;
  /** The message's Date header, else the time the file was written (ISO 8601). */
  date: string;
  messageId?: string;
}

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const HEADER_READ_BYTES = 64 * 1024;
const MAX_RECIPIENT_CHARS_IN_NAME = 100;
const CLOSE_TIMEOUT_MS = 1_000;
const MESSAGE_ID_HEADER = 'x-sendarix-message-id';
const EML_SUFFIX = '.eml';
const DELIVERED_TO = /^Delivered-To:[ \t]*(.*)$/im;

/** Starts the sandbox server; `dir` is the sandbox directory itself (e.g. `<dataDir>/sandbox`), created if missing. */
export async function startSandboxSmtp(opts: {
  port: number;
  host?: string;
  dir: string;
  logger: pino.Logger;
}): Promise<{ port: number; stop(): Promise<void> }> {
  const { dir, logger } = opts;
  await mkdir(dir, { recursive: true });
  const server = new SMTPServer({
    name: 'sendarix-sandbox',
    logger: false,
    disableReverseLookup: true,
    // The built-in certificate smtp-server would offer is expired: clients that upgrade opportunistically would fail.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'sandbox' }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        void store(dir, from, recipients, Buffer.concat(chunks), logger).then(
          () => callback(null, 'OK: kept in the sandbox'),
          (err: unknown) => {
            logger.error({ err }, 'sandbox could not store message');
            callback(Object.assign(new Error('Sandbox could not store the message'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (err) => logger.warn({ err }, 'sandbox smtp connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  logger.info({ port, dir }, 'sandbox smtp listening');
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function store(dir: string, from: string, recipients: string[], raw: Buffer, logger: pino.Logger): Promise<void> {
  const headers = await simpleParser(headerBlock(raw));
  const messageId = headers.headers.get(MESSAGE_ID_HEADER);
  for (const recipient of recipients) {
    // The envelope is what mailboxes record on delivery: without it a Bcc recipient would be invisible in the file.
    const trace = Buffer.from(`Return-Path: <${from}>\r\nDelivered-To: ${recipient}\r\n`);
    const file = await writeUnique(dir, sanitise(recipient), Buffer.concat([trace, raw]));
    logger.info(
      { ...(typeof messageId === 'string' ? { message_id: messageId } : {}), recipient, file },
      'sandbox received message',
    );
  }
}

function sanitise(recipient: string): string {
  return recipient.toLowerCase().replace(/[^a-z0-9._@+-]/g, '_').slice(0, MAX_RECIPIENT_CHARS_IN_NAME);
}

async function writeUnique(dir: string, recipient: string, content: Buffer): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${stamp}-${recipient}${n === 1 ? '' : `-${n}`}${EML_SUFFIX}`);
    try {
      await writeFile(file, content, { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

function headerBlock(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? raw.subarray(0, HEADER_READ_BYTES) : raw.subarray(0, end + 4);
}

/** The newest sandbox messages first, at most `limit`; an absent directory has none. */
export async function listSandboxMessages(dir: string, limit: number): Promise<SandboxMessage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  // File names start with an ISO timestamp, so name order is arrival order.
  const newest = names.filter((n) => n.endsWith(EML_SUFFIX)).sort().reverse().slice(0, Math.max(0, limit));
  return Promise.all(newest.map((name) => describe(path.join(dir, name))));
}

async function describe(file: string): Promise<SandboxMessage> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEADER_READ_BYTES), 0, HEADER_READ_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const block = headerBlock(head);
  const parsed = await simpleParser(block);
  // Read as UTF-8 here: mailparser decodes raw header lines as Latin-1, which garbles an SMTPUTF8 recipient.
  const deliveredTo = DELIVERED_TO.exec(block.toString('utf8'))?.[1]?.trim() ?? '';
  const messageId = parsed.headers.get(MESSAGE_ID_HEADER);
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : (await stat(file)).mtime;
  return {
    file,
    recipient: deliveredTo,
    subject: parsed.subject ?? '',
    date: date.toISOString(),
    ...(typeof messageId === 'string' ? { messageId } : {}),
  };
}
