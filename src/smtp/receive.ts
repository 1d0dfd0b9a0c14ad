// Reads one DATA stream of smtp-server into memory, up to the server's size limit.
import type { SMTPServerDataStream } from 'smtp-server';

/** The whole message; past the size limit the rest is read and dropped, and `stream.sizeExceeded` tells the caller. */
export function receiveMessage(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}
