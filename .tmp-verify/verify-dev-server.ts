import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Connection, Client } from '@temporalio/client';
import { findTemporalCli } from '../src/temporal/cli';
import { startDevServer } from '../src/temporal/dev-server';

async function main(): Promise<void> {
  const logger = pino({ level: 'debug' });
  const cliPath = findTemporalCli({ HOME: process.env.HOME, TEMPORAL_CLI: process.env.TEMPORAL_CLI, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME });
  console.log('cli', cliPath);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-dev-'));
  let server = await startDevServer({ dataDir, cliPath, logger, uiPort: 0 });
  console.log('first start', server.address, server.uiUrl, server.pid, server.startupMs, 'ms');
  let conn = await Connection.connect({ address: server.address });
  const sa = await conn.operatorService.listSearchAttributes({ namespace: 'default' });
  console.log('custom attrs', sa.customAttributes);
  const ui = await fetch(server.uiUrl!);
  console.log('ui status', ui.status);
  const client = new Client({ connection: conn });
  const h = await client.workflow.start('nonexistentWorkflow', { taskQueue: 'verify-q', workflowId: 'persist-check-1', args: [], typedSearchAttributes: [] });
  console.log('started', h.workflowId);
  await conn.close();
  const t0 = Date.now();
  await server.stop();
  console.log('stopped in', Date.now() - t0, 'ms; alive?', isAlive(server.pid!));
  server = await startDevServer({ dataDir, cliPath, logger, uiPort: false });
  console.log('second start', server.address, server.pid, server.startupMs, 'ms');
  conn = await Connection.connect({ address: server.address });
  const client2 = new Client({ connection: conn });
  const ids: string[] = [];
  for await (const wf of client2.workflow.list({ query: "WorkflowId = 'persist-check-1'" })) ids.push(`${wf.workflowId}:${wf.status.name}`);
  console.log('listed after restart', ids);
  const sa2 = await conn.operatorService.listSearchAttributes({ namespace: 'default' });
  console.log('custom attrs after restart', Object.keys(sa2.customAttributes ?? {}));
  await conn.close();
  const t1 = Date.now();
  await server.kill('SIGKILL');
  console.log('killed in', Date.now() - t1, 'ms; alive?', isAlive(server.pid!));
  // restart after SIGKILL on the same file and port
  const port = Number(server.address.split(':')[1]);
  server = await startDevServer({ dataDir, cliPath, logger, uiPort: false, port });
  console.log('third start after kill, same port', server.address, server.startupMs, 'ms');
  conn = await Connection.connect({ address: server.address });
  const d = await new Client({ connection: conn }).workflow.getHandle('persist-check-1').describe();
  console.log('described after kill+restart', d.status.name);
  await conn.close();
  await server.stop();
  // in-memory timing
  const times: number[] = [];
  for (let i = 0; i < 3; i++) { const s = await startDevServer({ cliPath, uiPort: false }); times.push(s.startupMs); await s.stop(); }
  console.log('in-memory startup ms', times);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
function isAlive(pid: number): boolean { try { process.kill(pid, 0); return true; } catch { return false; } }
main().catch((e) => { console.error(e); process.exit(1); });
