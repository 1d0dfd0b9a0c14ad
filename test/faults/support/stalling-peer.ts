// An SMTP peer that takes the whole DATA of a transaction and then never answers it, for the first `stalls`
// transactions of a recipient; later transactions are accepted. Sendarix's SMTP client must time out, defer and
// retry, and never take the silence for a 250.
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface StallingPeer {
  url: string;
  /** Transactions whose DATA arrived in full and were left unanswered, per recipient. */
  stalled: Map<string, number>;
  /** Transactions answered 250, per recipient. */
  accepted: Map<string, number>;
  stallNext(recipient: string, count: number): void;
  stop(): Promise<void>;
}

export async function startStallingPeer(): Promise<StallingPeer> {
  const stallsLeft = new Map<string, number>();
  const stalled = new Map<string, number>();
  const accepted = new Map<string, number>();
  const sockets = new Set<Socket>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const recipient = session.envelope.rcptTo[0]?.address.toLowerCase() ?? '';
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const left = stallsLeft.get(recipient) ?? 0;
        if (left > 0) {
          stallsLeft.set(recipient, left - 1);
          bump(stalled, recipient);
          return; // never answered: the client has to give up on its own
        }
        bump(accepted, recipient);
        callback(null, 'OK: queued');
      });
    },
  });
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    stalled,
    accepted,
    stallNext: (recipient, count) => void stallsLeft.set(recipient.toLowerCase(), count),
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
