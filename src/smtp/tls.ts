// The STARTTLS certificate of the SMTP listeners: the configured PEM files, or (embedded default) a self-signed
// one made once into the data folder. smtp-server's built-in certificate is expired, so it is never offered.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { Config } from '../config';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
}

const SELF_SIGNED_VALIDITY_DAYS = 3650;
/** A kept certificate this close to its end is made anew. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The configured certificate, or undefined when neither file is set; one without the other is an error. */
export function configuredTls(
  config: Pick<Config, 'SENDARIX_SMTP_TLS_CERT' | 'SENDARIX_SMTP_TLS_KEY'>,
): TlsMaterial | undefined {
  const { SENDARIX_SMTP_TLS_CERT: certFile, SENDARIX_SMTP_TLS_KEY: keyFile } = config;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    throw new Error('SENDARIX_SMTP_TLS_CERT and SENDARIX_SMTP_TLS_KEY must be set together');
  }
  return { cert: readPem(certFile, 'SENDARIX_SMTP_TLS_CERT'), key: readPem(keyFile, 'SENDARIX_SMTP_TLS_KEY') };
}

/** A self-signed certificate for `hostname`, kept in `dir` (key mode 600) and reused until close to its end. */
export async function selfSignedTls(dir: string, hostname: string): Promise<TlsMaterial> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const kept = { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
    if (Date.parse(new X509Certificate(kept.cert).validTo) - Date.now() > RENEW_BEFORE_MS) return kept;
  }
  const notBeforeDate = new Date();
  const pems = await generate([{ name: 'commonName', value: hostname }], {
    // RSA: selfsigned 5.5's EC keys fail to encode ("Cannot get schema for 'AlgorithmIdentifier'").
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + SELF_SIGNED_VALIDITY_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(certFile, pems.cert);
  return { cert: Buffer.from(pems.cert), key: Buffer.from(pems.private) };
}

function readPem(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${variable}: cannot read ${file} (${(err as Error).message})`);
  }
}
