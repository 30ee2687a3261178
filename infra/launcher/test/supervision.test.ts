import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPort, isAlive, startProcess, type ProcessEvent, type SupervisedProcess } from '@shop/local-stack';
import { eventually } from '@shop/testkit';

/** A process that listens on the port, and exits with code 3 after lifetimeMs when one is given. */
function listener(port: number, lifetimeMs?: number): string[] {
  const exit = lifetimeMs === undefined ? '' : `setTimeout(() => process.exit(3), ${lifetimeMs});`;
  return ['-e', `require('node:net').createServer((socket) => socket.end()).listen(${port}, '127.0.0.1'); ${exit}`];
}

const policy = { initialDelayMs: 100, maxDelayMs: 400, maxRestarts: 3, stableAfterMs: 60_000, readyTimeoutMs: 30_000 };

describe('supervised processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-supervision-'));
  let running: SupervisedProcess | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts a process killed with SIGKILL under a new pid, and says so each way', async () => {
    const port = await claimPort(0, 'test');
    const events: ProcessEvent[] = [];
    const options = { name: 'echo', command: process.execPath, args: listener(port), stopSignal: 'TERM' as const, logFile: join(dir, 'echo.log') };
    running = await startProcess(options, { port, probe: async () => undefined }, { report: (event) => events.push(event), policy });
    const firstPid = running.pid();
    expect(firstPid).toBeDefined();
    process.kill(firstPid!, 'SIGKILL');
    await eventually(() => events.some((event) => event.message?.startsWith('echo SERVING again')), { description: 'the restart is reported', timeoutMs: 30_000 });
    expect(events.map((event) => event.message).filter(Boolean)).toEqual([
      'echo exited (SIGKILL); restarting in 0.1 s',
      expect.stringMatching(/^echo SERVING again after \d+(\.\d)? s$/),
    ]);
    expect(running.pid()).not.toBe(firstPid);
    expect(events.at(-1)).toMatchObject({ state: 'SERVING', restarts: 1 });
  }, 60_000);

  it('gives a crash loop up after the bound, naming the log file, with growing delays', async () => {
    const port = await claimPort(0, 'test');
    const events: ProcessEvent[] = [];
    const logFile = join(dir, 'flaky.log');
    const options = { name: 'flaky', command: process.execPath, args: listener(port, 1_500), stopSignal: 'TERM' as const, logFile };
    running = await startProcess(options, { port, probe: async () => undefined }, { report: (event) => events.push(event), policy });
    await eventually(() => events.at(-1)?.state === 'GAVE_UP', { description: 'the crash loop is given up', timeoutMs: 40_000 });
    const lines = events.map((event) => event.message).filter(Boolean);
    expect(lines.filter((line) => line!.includes('restarting in'))).toEqual([
      'flaky exited (code 3); restarting in 0.1 s',
      'flaky exited (code 3); restarting in 0.2 s',
      'flaky exited (code 3); restarting in 0.4 s',
    ]);
    expect(lines.at(-1)).toBe(`flaky keeps crashing (code 3, 3 restarts in a row); given up, see ${logFile}`);
  }, 60_000);

  it('stops a process that is still starting when its start is aborted, and rejects with the reason', async () => {
    const port = await claimPort(0, 'test');
    const pidFile = join(dir, 'slow.pid');
    const args = ['-e', `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => undefined, 1000);`];
    const options = { name: 'slow', command: process.execPath, args, stopSignal: 'TERM' as const, logFile: join(dir, 'slow.log') };
    const aborted = new AbortController();
    const starting = startProcess(options, { port, probe: async () => undefined, signal: aborted.signal }, { report: () => undefined, policy });
    await eventually(() => existsSync(pidFile), { description: 'the process runs', timeoutMs: 30_000 });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    aborted.abort(new Error('a store failed to start'));
    await expect(starting).rejects.toThrow('a store failed to start');
    expect(isAlive(pid)).toBe(false);
  }, 60_000);

  it('stops for good when asked: no restart follows a stop', async () => {
    const port = await claimPort(0, 'test');
    const events: ProcessEvent[] = [];
    const options = { name: 'calm', command: process.execPath, args: listener(port), stopSignal: 'TERM' as const, logFile: join(dir, 'calm.log') };
    const process_ = await startProcess(options, { port, probe: async () => undefined }, { report: (event) => events.push(event), policy });
    await process_.stop();
    expect(events.map((event) => event.state)).toEqual(['SERVING', 'STOPPED']);
    expect(await claimPort(port, 'test')).toBe(port);
  }, 60_000);
});
