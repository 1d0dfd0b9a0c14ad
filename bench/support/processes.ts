// Child processes of a bench run: Sendarix's API and worker (as `npm run api` / `npm run worker` start them) and
// the bare worker, each with its output in a log file, its resident memory and CPU time readable from /proc.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 200;
const STOP_TIMEOUT_MS = 45_000;
/** Linux reports process CPU time in clock ticks of 1/100 s. */
const CLOCK_TICKS_PER_S = 100;

export interface Service {
  name: string;
  pid: number;
  /** The JSON log line that said the service is ready. */
  ready: Record<string, unknown>;
  /** SIGTERM, then waits for the exit (SIGKILL after a bound); resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ServiceSpec {
  name: string;
  script: string;
  env: Record<string, string>;
  /** `msg` of the log line that marks readiness. */
  readyMessage: string;
  logFile: string;
  /** Folder for a V8 CPU profile written at exit (`--cpu-prof`). */
  profileDir?: string;
}

/**
 * Starts `node --import tsx <script>` with its output going straight to the log file (never through this process,
 * whose own load must not slow the service's synchronous log writes), and resolves once the log says `readyMessage`.
 */
export async function startService(spec: ServiceSpec): Promise<Service> {
  const nodeArgs = ['--import', 'tsx'];
  // One folder per service: V8 writes one profile per thread (tsx's loader has its own); the main one is the largest.
  if (spec.profileDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', path.join(spec.profileDir, spec.name));
  const out = fs.openSync(spec.logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, spec.script], {
    cwd: ROOT,
    env: spec.env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = readyLine(spec.logFile, spec.readyMessage);
    if (ready) return { name: spec.name, pid: child.pid as number, ready, stop: () => stopChild(child) };
    if (exited !== undefined) throw new Error(`${spec.name} exited with ${exited}; see ${spec.logFile}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${spec.name} not ready; see ${spec.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

function readyLine(file: string, message: string): Record<string, unknown> | undefined {
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes(message)) continue;
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === message) return entry;
    } catch {
      // a line still being written
    }
  }
  return undefined;
}

export interface BareWorker {
  pid: number;
  /** Bare workflows whose last activity ran, as last reported (every 100 ms). */
  finished(): number;
  stop(): Promise<number | null>;
}

export async function startBareWorker(
  address: string,
  taskQueue: string,
  workerEnv: Record<string, string>,
  logFile: string,
): Promise<BareWorker> {
  const out = fs.openSync(logFile, 'a');
  const child = fork(path.join(__dirname, '../bare/worker.ts'), [address, taskQueue, JSON.stringify(workerEnv)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', out, out, 'ipc'],
  });
  let finished = 0;
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { ready?: boolean; finished?: number }) => {
      if (m.ready) resolve();
      if (m.finished !== undefined) finished = m.finished;
    });
    child.once('exit', (code) => reject(new Error(`bare worker exited with ${code}; see ${logFile}`)));
  });
  return { pid: child.pid as number, finished: () => finished, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Resident set size of a process, in bytes. */
export function rssBytes(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** User + system CPU time a process has used, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}
