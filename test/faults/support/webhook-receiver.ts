// A webhook receiver on a fixed loopback port that a fault test can take down (listener closed, connections
// reset: the endpoint refuses connections) and bring back on the same port. Every request is kept raw.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedHook {
  at: number;
  headers: Record<string, string>;
  raw: string;
  body: { id: string; type: string; sequence: number; data: { message_id: string } & Record<string, unknown> };
}

export interface WebhookReceiver {
  url: string;
  hits: ReceivedHook[];
  down(): Promise<void>;
  up(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hits: ReceivedHook[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      hits.push({ at: Date.now(), headers: req.headers as Record<string, string>, raw, body: JSON.parse(raw) });
      res.writeHead(200).end('ok');
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hits,
    down: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.resetAndDestroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
    up: async () => {
      if (!server.listening) await listen(port);
    },
  };
}
