// Runs a local Temporal dev server (the CLI's `server start-dev`) for `npm start` and for the integration tests.
//
// With a CLI binary we spawn it ourselves rather than through the SDK's TestWorkflowEnvironment, because the SDK
// hides the child process: fault tests need its pid to stop or kill it. Without a binary we fall back to the SDK,
// which downloads the dev server (works only on machines with internet access) and can merely stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
  type SearchAttributeType,
} from '@temporalio/common/lib/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

/** Loopback only: the dev server has no authentication and must never be reachable from another host. */
const LISTEN_IP = '127.0.0.1';
/** File name of the SQLite store inside `dataDir`. */
export const DEV_SERVER_DB_FILENAME = 'temporal.sqlite';
/** How long start-up may take before we give up (a cold SQLite file on a busy 2-core CI machine is slow). */
const STARTUP_TIMEOUT_MS = 60_000;
/** Pause between readiness probes of the gRPC port. */
const READY_POLL_INTERVAL_MS = 100;
/** Per-probe gRPC connect timeout. */
const READY_CONNECT_TIMEOUT_MS = 1_000;
/** How long `stop()` waits after SIGTERM before it sends SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;
/** Lines of server output kept to explain a failed start. */
const OUTPUT_TAIL_LINES = 40;

/**
 * Passed to the server on every start. The version check phones home to the Temporal project every few hours, which
 * this offline-first product must never do; the others match what the SDK sets for its own dev servers.
 */
const DYNAMIC_CONFIG_VALUES = [
  'frontend.enableServerVersionCheck=false',
  // Task priority (Sendarix's high/normal/low tiers) is honoured only by the new matcher in server 1.29.
  'matching.useNewMatcher=true',
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
];

type LogFn = (obj: object, msg?: string) => void;
/** The subset of a pino logger used here. */
export interface DevServerLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface DevServerOptions {
  /** Folder holding `temporal.sqlite`, created if missing; undefined keeps all state in memory. */
  dataDir?: string;
  /** gRPC port; 0 or undefined picks a free one. */
  port?: number;
  /** Web UI port; 0 or undefined picks a free one; false runs headless. */
  uiPort?: number | false;
  /** `temporal` binary (see findTemporalCli); undefined falls back to the SDK's download of the dev server. */
  cliPath?: string;
  /** Namespace to create at start-up and to register the search attributes in; defaults to "default". */
  namespace?: string;
  logger?: DevServerLogger;
}

export interface DevServer {
  /** `127.0.0.1:<port>` of the gRPC frontend. */
  address: string;
  namespace: string;
  /** `http://127.0.0.1:<uiPort>` when the Web UI runs. */
  uiUrl?: string;
  /** OS process id of the server; undefined in the SDK fallback, which does not reveal it. */
  pid: number | undefined;
  /** SQLite file of a persistent server. */
  dbFilename?: string;
  /** Milliseconds from spawn until the namespace answered. */
  startupMs: number;
  /** Graceful stop (SIGTERM, then SIGKILL after a timeout); resolves once the process is gone. Idempotent. */
  stop(): Promise<void>;
  /**
   * Sends `signal` (default SIGKILL) for fault tests. For SIGKILL, SIGTERM and SIGINT it resolves once the process
   * has exited; other signals (SIGSTOP, SIGCONT) resolve at once. Throws in the SDK fallback, which hides the process.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const NOOP_LOGGER: DevServerLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Starts a dev server with the Sendarix search attributes registered and resolves once it serves its namespace. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const logger = opts.logger ?? NOOP_LOGGER;
  const namespace = opts.namespace ?? 'default';
  // A taken port must fail here: the readiness probe would otherwise find the other server and report success.
  if (opts.port) await assertPortFree(opts.port);
  if (opts.uiPort) await assertPortFree(opts.uiPort);
  const port = opts.port ? opts.port : await findFreePort();
  const uiPort = opts.uiPort === false ? undefined : opts.uiPort ? opts.uiPort : await findFreePort();
  let dbFilename: string | undefined;
  if (opts.dataDir !== undefined) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    dbFilename = path.join(path.resolve(opts.dataDir), DEV_SERVER_DB_FILENAME);
  }
  const settings: ResolvedSettings = { namespace, port, uiPort, dbFilename, logger };
  const server = opts.cliPath ? await spawnCli(opts.cliPath, settings) : await startThroughSdk(settings);
  try {
    await ensureSearchAttributes(server.address, namespace, ALL_SEARCH_ATTRIBUTES, logger);
  } catch (err) {
    await server.stop();
    throw err;
  }
  logger.info(
    { address: server.address, uiUrl: server.uiUrl, pid: server.pid, dbFilename, startupMs: server.startupMs },
    'Temporal dev server ready',
  );
  return server;
}

interface ResolvedSettings {
  namespace: string;
  port: number;
  uiPort: number | undefined;
  dbFilename: string | undefined;
  logger: DevServerLogger;
}

/** Binds `port` (0 = any) on the loopback address, closes it again and returns the port number. */
async function bindAndRelease(port: number): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(port, LISTEN_IP, () => {
      const address = probe.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (bound ? resolve(bound) : reject(new Error('could not determine a free port'))));
    });
  });
}

/** Asks the OS for a free loopback port. Another process could take it before the server binds; that is rare. */
export async function findFreePort(): Promise<number> {
  return await bindAndRelease(0);
}

async function assertPortFree(port: number): Promise<void> {
  try {
    await bindAndRelease(port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot start the Temporal dev server: ${LISTEN_IP}:${port} is not free (${code ?? String(err)})`);
  }
}

function uiUrlFor(uiPort: number | undefined): string | undefined {
  return uiPort === undefined ? undefined : `http://${LISTEN_IP}:${uiPort}`;
}

function cliArgs(s: ResolvedSettings): string[] {
  const args = ['server', 'start-dev', '--ip', LISTEN_IP, '--port', String(s.port), '--namespace', s.namespace];
  args.push('--log-format', 'json', '--log-level', 'warn');
  for (const value of DYNAMIC_CONFIG_VALUES) args.push('--dynamic-config-value', value);
  for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${cliTypeName(key.type)}`);
  if (s.dbFilename) args.push('--db-filename', s.dbFilename);
  if (s.uiPort === undefined) args.push('--headless');
  else args.push('--ui-ip', LISTEN_IP, '--ui-port', String(s.uiPort));
  return args;
}

/** `KEYWORD_LIST` → `KeywordList`, the spelling `--search-attribute` takes. */
function cliTypeName(type: SearchAttributeType): string {
  return type
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

async function spawnCli(cliPath: string, s: ResolvedSettings): Promise<DevServer> {
  const startedAt = Date.now();
  const address = `${LISTEN_IP}:${s.port}`;
  const child = spawn(cliPath, cliArgs(s), { stdio: ['ignore', 'pipe', 'pipe'] });
  const outputTail: string[] = [];
  let stopping = false;
  forwardOutput(child, outputTail, s.logger, () => stopping);

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  // Never leave a server behind when this process exits without calling stop() (process.exit, a failed test run).
  // Ctrl-C needs no handler: the terminal signals the whole process group, the server included.
  const killOnExit = (): void => {
    if (!exitInfo) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  // An 'error' event (for example ENOENT) means the process never started; report it through the start-up wait.
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
    process.removeListener('exit', killOnExit);
  });
  void exited.then((info) => {
    process.removeListener('exit', killOnExit);
    s.logger.debug({ pid: child.pid, ...info }, 'Temporal dev server exited');
  });

  const waitForExit = async (timeoutMs: number): Promise<boolean> => {
    if (exitInfo) return true;
    const timeout = sleep(timeoutMs, false, { ref: false });
    return await Promise.race([exited.then(() => true), timeout]);
  };

  const stop = async (): Promise<void> => {
    if (exitInfo || spawnError) return;
    stopping = true;
    child.kill('SIGTERM');
    if (await waitForExit(STOP_TIMEOUT_MS)) return;
    s.logger.warn({ pid: child.pid }, 'Temporal dev server ignored SIGTERM; killing it');
    child.kill('SIGKILL');
    await exited;
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (exitInfo) return;
    stopping ||= signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT';
    child.kill(signal);
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && signal !== 'SIGINT') return;
    if (!(await waitForExit(STOP_TIMEOUT_MS))) {
      throw new Error(`Temporal dev server (pid ${child.pid}) still runs ${STOP_TIMEOUT_MS} ms after ${signal}`);
    }
  };

  const deadline = startedAt + STARTUP_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not run Temporal CLI ${cliPath}: ${spawnError.message}`);
    if (exitInfo) {
      throw new Error(
        `Temporal dev server exited during start-up (code ${exitInfo.code}, signal ${exitInfo.signal}):\n` +
          outputTail.join('\n'),
      );
    }
    try {
      await probeNamespace(address, s.namespace);
      return {
        address,
        namespace: s.namespace,
        uiUrl: uiUrlFor(s.uiPort),
        pid: child.pid,
        dbFilename: s.dbFilename,
        startupMs: Date.now() - startedAt,
        stop,
        kill,
      };
    } catch (err) {
      lastError = err;
    }
    await sleep(READY_POLL_INTERVAL_MS);
  }
  await stop();
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(
    `Temporal dev server did not answer on ${address} within ${STARTUP_TIMEOUT_MS} ms (${reason}):\n` +
      outputTail.join('\n'),
  );
}

/** One readiness probe: the gRPC port answers and the namespace exists. */
async function probeNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: READY_CONNECT_TIMEOUT_MS });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

/**
 * Sends the server's JSON log lines to the logger at their own level and keeps the last few for error messages.
 * Once `quiet()` holds (a stop was asked for) everything goes to debug: a stopping server warns about every
 * connection it closes.
 */
function forwardOutput(child: ChildProcess, tail: string[], logger: DevServerLogger, quiet: () => boolean): void {
  const onLine = (line: string): void => {
    if (!line.trim()) return;
    tail.push(line);
    if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    let entry: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object') entry = parsed as Record<string, unknown>;
    } catch {
      entry = undefined;
    }
    const msg = typeof entry?.msg === 'string' ? entry.msg : line;
    const fields = { component: 'temporal-dev-server', pid: child.pid, ...(entry ? { server: entry } : {}) };
    const level = typeof entry?.level === 'string' && !quiet() ? entry.level.toLowerCase() : 'debug';
    if (level === 'error' || level === 'fatal' || level === 'panic' || level === 'dpanic') logger.error(fields, msg);
    else if (level === 'warn') logger.warn(fields, msg);
    else logger.debug(fields, msg);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', onLine);
  }
}

/** Fallback without a CLI binary: the SDK downloads and runs the dev server, and keeps its process to itself. */
async function startThroughSdk(s: ResolvedSettings): Promise<DevServer> {
  const startedAt = Date.now();
  s.logger.warn({}, 'no Temporal CLI found (npm run setup:temporal builds one); letting the SDK download it');
  // Loaded lazily: @temporalio/testing is a dev dependency, and a production install runs with a CLI binary.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: LISTEN_IP,
      port: s.port,
      namespace: s.namespace,
      dbFilename: s.dbFilename,
      ui: s.uiPort !== undefined,
      uiPort: s.uiPort,
      log: { format: 'json', level: 'warn' },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      extraArgs: DYNAMIC_CONFIG_VALUES.flatMap((value) => ['--dynamic-config-value', value]),
    },
  });
  let stopped: Promise<void> | undefined;
  return {
    address: env.address,
    namespace: s.namespace,
    uiUrl: uiUrlFor(s.uiPort),
    pid: undefined,
    dbFilename: s.dbFilename,
    startupMs: Date.now() - startedAt,
    stop: async () => {
      stopped ??= env.teardown();
      await stopped;
    },
    kill: async () => {
      throw new Error('killing the dev server needs the Temporal CLI binary: run `npm run setup:temporal`');
    },
  };
}

/**
 * Registers whichever search attributes the namespace lacks. The CLI registers them only when it creates the
 * namespace, so a persisted SQLite file from before a new attribute was added would otherwise never get it.
 */
async function ensureSearchAttributes(
  address: string,
  namespace: string,
  keys: SearchAttributeKey<SearchAttributeType>[],
  logger: DevServerLogger,
): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    const existing = listed.customAttributes ?? {};
    const missing: Record<string, number> = {};
    for (const key of keys) {
      const wanted = encodeSearchAttributeIndexedValueType(key.type);
      if (wanted === undefined) throw new Error(`unknown search attribute type ${key.type} of ${key.name}`);
      const have = existing[key.name];
      if (have === undefined) missing[key.name] = wanted;
      else if (have !== wanted) {
        throw new Error(`search attribute ${key.name} is registered with another type than ${key.type}`);
      }
    }
    if (Object.keys(missing).length > 0) {
      logger.info({ namespace, added: Object.keys(missing) }, 'registering missing search attributes');
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    }
  } finally {
    await connection.close();
  }
}
