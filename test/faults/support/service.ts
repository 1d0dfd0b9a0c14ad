// One Sendarix process of a split deployment (`npm run api`, `npm run worker`) that a fault test can kill -9 and
// start again on the same state. Logs are kept in memory so that a test can inspect them.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

export type ServiceKind = 'api' | 'worker';

const ENTRY: Record<ServiceKind, { file: string; ready: string }> = {
  api: { file: 'src/api/main.ts', ready: 'api ready' },
  worker: { file: 'src/worker/main.ts', ready: 'worker ready' },
};

export interface Service {
  kind: ServiceKind;
  pid: number;
  logs: string[];
  /** False once the process has exited, for whatever reason. */
  readonly running: boolean;
  /** Sends `signal` (SIGKILL by default) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export async function startService(kind: ServiceKind, env: Record<string, string>): Promise<Service> {
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env };
  const args = ['--import', 'tsx', ENTRY[kind].file];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test that fails half-way must not leave its processes behind.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  await waitForLine(child, logs, ENTRY[kind].ready, kind);

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return {
    kind,
    pid: child.pid as number,
    logs,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    kill,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref());
      if (!(await Promise.race([exited.then(() => true), timer]))) await kill('SIGKILL');
    },
  };
}

function waitForLine(child: ChildProcess, logs: string[], message: string, kind: ServiceKind): Promise<void> {
  return new Promise((resolve, reject) => {
    const failStart = () => reject(new Error(`${kind} did not start:\n${logs.slice(-30).join('\n')}`));
    const timer = setTimeout(failStart, READY_TIMEOUT_MS);
    const onLine = (line: string): void => {
      logs.push(line);
      if (process.env.SENDARIX_TEST_LOGS) process.stderr.write(`[${kind} ${child.pid}] ${line}\n`);
      if (line.includes(`"msg":"${message}"`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited (${code ?? signal}) before it was ready:\n${logs.slice(-30).join('\n')}`));
    });
  });
}
