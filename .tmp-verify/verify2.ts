import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../src/temporal/cli';
import { startDevServer, findFreePort } from '../src/temporal/dev-server';

async function main(): Promise<void> {
  const logger = pino({ level: 'info' });
  const cliPath = findTemporalCli({ HOME: process.env.HOME })!;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-dev-'));
  // A DB created without our search attributes (as an older Sendarix would have left it).
  const port = await findFreePort();
  const bare = spawn(cliPath, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--db-filename', path.join(dataDir, 'temporal.sqlite'), '--dynamic-config-value', 'frontend.enableServerVersionCheck=false'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) { try { const c = await Connection.connect({ address: `127.0.0.1:${port}` }); await c.close(); break; } catch { await new Promise((r) => setTimeout(r, 100)); } }
  bare.kill('SIGTERM');
  await new Promise((r) => bare.once('exit', r));
  const server = await startDevServer({ dataDir, cliPath, logger, uiPort: 0 });
  const conn = await Connection.connect({ address: server.address });
  const sa = await conn.operatorService.listSearchAttributes({ namespace: 'default' });
  console.log('after reconcile', sa.customAttributes);
  await conn.close();
  console.log(execSync(`ss -ltnp | grep pid=${server.pid},`).toString());
  await server.kill('SIGSTOP');
  console.log('stopped (SIGSTOP), state:', fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(' ')[2]);
  await server.kill('SIGCONT');
  await server.stop();
  await server.stop();
  // failing start: bad cli path and port in use
  try { await startDevServer({ cliPath: '/nonexistent/temporal' }); } catch (e) { console.log('bad path:', (e as Error).message); }
  const a = await startDevServer({ cliPath, uiPort: false });
  try { await startDevServer({ cliPath, uiPort: false, port: Number(a.address.split(':')[1]) }); } catch (e) { console.log('port in use:', (e as Error).message.slice(0, 400)); }
  await a.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
main().catch((e) => { console.error(e); process.exit(1); });
