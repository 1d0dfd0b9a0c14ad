// A bare Temporal worker in its own process, as the Sendarix worker is: polls the task queue with the tuning that
// the Sendarix worker gets from the same variables, and reports finished workflows to the bench over IPC.
//
//   node --import tsx bench/bare/worker.ts <temporal address> <task queue> [worker env as JSON]
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { workerTuning } from '../../src/runtime';
import { bareActivities } from './activities';

const REPORT_INTERVAL_MS = 100;

async function main(): Promise<void> {
  const [address, taskQueue, env] = process.argv.slice(2) as [string, string, string | undefined];
  const config = loadConfig(env ? (JSON.parse(env) as Record<string, string>) : {});
  let finished = 0;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: bareActivities(() => finished++),
    ...workerTuning(config),
  });
  const timer = setInterval(() => process.send?.({ finished }), REPORT_INTERVAL_MS);
  process.send?.({ ready: true });
  await worker.run();
  clearInterval(timer);
  await connection.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
