import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OsIdentity } from './os-identity.js';
import { acceptsConnections } from './ports.js';

/**
 * Runs the store in the background and signals it when a line (a signal name) arrives on stdin,
 * or with $STOP_SIGNAL once stdin reaches end-of-file, which happens when the Node parent dies for any reason.
 */
const WATCHDOG_SCRIPT = `
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
{ while read -r signal <&3; do kill -s "$signal" "$child" 2>/dev/null; done; kill -s "$STOP_SIGNAL" "$child" 2>/dev/null; } &
watcher=$!
wait "$child"
status=$?
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
exit "$status"
`;

/** Receives one human-readable lifecycle line. */
export type LogLine = (line: string) => void;

/** Signal names as the shell's kill -s spells them. */
export type StopSignal = 'INT' | 'TERM';

/** What to run and how to stop it. */
export interface SuperviseOptions {
  name: string;
  command: string;
  args: string[];
  stopSignal: StopSignal;
  logFile: string;
  runAs?: OsIdentity;
  /** The whole environment of the process; the parent's environment when omitted. */
  env?: NodeJS.ProcessEnv;
}

/** A store process that dies with its Node parent. */
export interface SupervisedProcess {
  readonly name: string;
  readonly logFile: string;
  exitCode(): number | null | undefined;
  /** Resolves with the exit status once the process has exited (128 + n when signal n killed it). */
  readonly exited: Promise<number | null>;
  /** The pid of the command itself (not of its watchdog), once it runs. */
  pid(): number | undefined;
  stop(): Promise<void>;
  /** Kills the process at once with SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

const STOP_GRACE_MS = 30_000;

/** Spawns the command in its own process group under a watchdog shell, so it stops when stop() is called or the parent process dies. */
export function supervise(options: SuperviseOptions): SupervisedProcess {
  const logFd = openSync(options.logFile, 'a');
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'watchdog', options.command, ...options.args], {
    stdio: ['pipe', logFd, logFd],
    detached: true,
    env: { ...(options.env ?? process.env), STOP_SIGNAL: options.stopSignal },
    ...(options.runAs ?? {}),
  });
  closeSync(logFd);
  const control = child.stdin;
  if (!control) throw new Error(`${options.name}: watchdog has no control pipe`);
  control.on('error', () => undefined);
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (exitCode, signal) => {
      code = exitCode ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null);
      control.destroy();
      resolve(code);
    });
    child.once('error', () => {
      code = null;
      resolve(code);
    });
  });
  const stop = async (): Promise<void> => {
    if (code !== undefined) return;
    control.write(`${options.stopSignal}\n`);
    const escalation = setTimeout(() => control.write('KILL\n'), STOP_GRACE_MS);
    await exited;
    clearTimeout(escalation);
  };
  const kill = async (): Promise<void> => {
    if (code !== undefined) return;
    control.write('KILL\n');
    await exited;
  };
  const pid = () => (code === undefined && child.pid !== undefined ? commandPid(child.pid) : undefined);
  return { name: options.name, logFile: options.logFile, exitCode: () => code, exited, pid, stop, kill };
}

/** The watchdog's child that runs the command: the one whose command line differs from the watchdog's own (its watcher subshell shares it). */
function commandPid(watchdogPid: number): number | undefined {
  const cmdline = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return undefined;
    }
  };
  const own = cmdline(watchdogPid);
  let children: number[];
  try {
    children = readFileSync(`/proc/${watchdogPid}/task/${watchdogPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
  return children.find((pid) => {
    const line = cmdline(pid);
    return line !== undefined && line !== own;
  });
}

/** The last part of a store's log, for error messages. */
export function logTail(logFile: string, characters = 1500): string {
  return existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-characters) : '(no log written)';
}

/**
 * Polls the port, then the probe, until the probe succeeds; fails early with the log tail when the process exits,
 * after the timeout, or (stopping the process) with the signal's reason once it is aborted.
 */
export async function waitUntilReady(process: SupervisedProcess, port: number, probe: () => Promise<void>, timeoutMs = 60_000, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (signal?.aborted) {
      await process.stop();
      throw signal.reason;
    }
    if (process.exitCode() !== undefined) {
      throw new Error(`${process.name} exited (code ${String(process.exitCode())}) before it was ready; ${process.logFile} ends with:\n${logTail(process.logFile)}`);
    }
    try {
      if (await acceptsConnections(port)) {
        await probe();
        return;
      }
      lastError = `nothing accepts connections on port ${port} yet`;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  await process.stop();
  throw new Error(`${process.name} was not ready within ${timeoutMs / 1000}s: ${String(lastError)}`);
}

/** Whether a process with this pid exists (also when it belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

function runningPid(pidFile: string, binaryName: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
  return cmdline.includes(binaryName) ? pid : undefined;
}

/** Stops a store instance left running by an earlier crashed run, identified by its pid file. */
export async function stopStaleInstance(store: string, pidFile: string, binaryName: string, signal: NodeJS.Signals, log: LogLine): Promise<void> {
  const pid = runningPid(pidFile, binaryName);
  if (pid === undefined) return;
  log(`${store}: stopping stale instance (pid ${pid}) left running by an earlier run`);
  try {
    process.kill(pid, signal);
    if (!(await waitForExit(pid, STOP_GRACE_MS))) process.kill(pid, 'SIGKILL');
  } catch (error) {
    throw new Error(`${store}: a stale instance (pid ${pid}, see ${pidFile}) is still running and cannot be stopped: ${String(error)}`);
  }
  if (!(await waitForExit(pid, 5_000))) throw new Error(`${store}: stale instance (pid ${pid}) did not exit`);
}
