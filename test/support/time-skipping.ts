// Time-skipping Temporal for tests that must run a workflow through hours of durable timers in seconds.
// The SDK would download its native test server, which needs internet; we run the same server from the Java SDK's
// Maven jars instead, through scripts/temporal-test-server.sh.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/** The wrapper the SDK starts as `<wrapper> <port>`; it execs java so the SDK's kill reaches the server itself. */
export const TEST_SERVER_WRAPPER = path.resolve(__dirname, '../../scripts/temporal-test-server.sh');

/** Why the time-skipping server cannot run here (java or the cached jars missing), or undefined when it can. */
export function timeSkippingUnavailableReason(): string | undefined {
  try {
    execFileSync('bash', [TEST_SERVER_WRAPPER, '--check'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return undefined;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || String(err);
  }
}

/**
 * Starts a fresh time-skipping environment (one per test file: skipped time is global to the server).
 * Throws, naming the setup script, when the server is not installed; call `teardown()` when done.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const reason = timeSkippingUnavailableReason();
  if (reason) {
    throw new Error(`time-skipping test server unavailable (${reason}): run \`bash scripts/setup-test-server.sh\``);
  }
  return await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER_WRAPPER } },
  });
}
