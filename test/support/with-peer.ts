// The setup most integration files share: an SMTP peer, and a Sendarix process relaying to it, started before the
// file's tests and stopped after them.
import { startSendarix, type SendarixProcess } from './sendarix';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer';

export interface PeerAndSendarix {
  peer: SmtpPeer;
  sx: SendarixProcess;
}

/** Registers the file's beforeAll/afterAll; `started` receives both once they run. */
export function withPeerAndSendarix(started: (world: PeerAndSendarix) => void): void {
  let world: Partial<PeerAndSendarix> = {};
  beforeAll(async () => {
    const peer = await startSmtpPeer();
    world = { peer };
    world.sx = await startSendarix({ smtpUrl: peer.url });
    started(world as PeerAndSendarix);
  });
  afterAll(async () => {
    await world.sx?.stop();
    await world.peer?.stop();
  });
}
