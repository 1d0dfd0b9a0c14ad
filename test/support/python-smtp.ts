// Runs test/support/smtp_send.py: Python's smtplib as a second SMTP client, independent of nodemailer.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface PythonSendRequest {
  host: string;
  port: number;
  username: string;
  password: string;
  starttls?: boolean;
  mail_from: string;
  rcpt_to: string[];
  message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    message_id?: string;
    headers?: Record<string, string>;
  };
}

export interface PythonSendResult {
  /** `data` once the message went through DATA, else the refused stage (`auth`, `mail`, `rcpt`). */
  stage: 'auth' | 'mail' | 'rcpt' | 'data';
  code: number;
  reply: string;
  /** The message as Python wrote it (stage `data` only). */
  raw?: string;
}

const SCRIPT = path.join(__dirname, 'smtp_send.py');
const TIMEOUT_MS = 60_000;

export function sendWithPython(request: PythonSendRequest): Promise<PythonSendResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`smtp_send.py exited ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(stdout) as PythonSendResult);
      } catch {
        reject(new Error(`smtp_send.py printed no JSON: ${stdout}${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}
