// The world of a stand-alone bench script: its own Temporal dev server, a loopback SMTP peer and one Sendarix
// process relaying to it, stopped again however the script ends; a failed script exits 1.
import { findTemporalCli } from '../../src/temporal/cli';
import { startDevServer } from '../../src/temporal/dev-server';
import { startSendarix, type SendarixProcess } from '../../test/support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../../test/support/smtp-peer';

export interface StandaloneWorld {
  sx: SendarixProcess;
  peer: SmtpPeer;
}

/** Runs `script` in a fresh world with `env` for the Sendarix process, then stops everything it started. */
export function runStandalone(script: (world: StandaloneWorld) => Promise<void>, env: Record<string, string> = {}) {
  const run = async () => {
    const temporal = await startDevServer({ cliPath: findTemporalCli(process.env), uiPort: false });
    const peer = await startSmtpPeer();
    const sx = await startSendarix({ smtpUrl: peer.url, temporalAddress: temporal.address, env });
    try {
      await script({ sx, peer });
    } finally {
      await sx.stop();
      await peer.stop();
      await temporal.stop();
    }
  };
  run().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
