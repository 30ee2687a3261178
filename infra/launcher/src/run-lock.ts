import { readFile, rm, writeFile } from 'node:fs/promises';
import { isAlive } from '@shop/local-stack';

async function holder(pidFile: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
}

/** Takes the launcher's pid file atomically; fails with a clear message while another launcher on the same data folder runs. */
export async function takeRunLock(pidFile: string): Promise<{ release(): Promise<void> }> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(pidFile, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => rm(pidFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = await holder(pidFile);
      if (pid !== undefined) throw new Error(`the system is already running (launcher pid ${pid}); stop it with Ctrl-C in its terminal or: kill -TERM ${pid}`);
      await rm(pidFile, { force: true });
    }
  }
  throw new Error(`cannot take ${pidFile}`);
}
