import { describe, expect, it } from '@jest/globals';
import { eventually } from '@shop/testkit';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const loggerModule = fileURLToPath(new URL('../src/logger.ts', import.meta.url));

describe('createLogger', () => {
  it('writes every line asynchronously and still flushes them all when the process exits right after logging', async () => {
    const script = `import { createLogger } from ${JSON.stringify(loggerModule)};
      const logger = createLogger('logger-test', 'info');
      for (let index = 0; index < 5000; index += 1) logger.info({ index }, 'line');
      process.exit(0);`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 64 * 1024 * 1024 });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { index: number; service: string; msg: string });
    expect(lines).toHaveLength(5000);
    expect(lines.at(-1)).toMatchObject({ index: 4999, service: 'logger-test', msg: 'line' });
  });
});

describe('createLogger in a process that keeps running', () => {
  it('writes a lone line within a bound, without waiting for its batch to fill or for exit', async () => {
    const script = `import { createLogger } from ${JSON.stringify(loggerModule)};
      createLogger('logger-test', 'info').info('alone');
      setTimeout(() => process.exit(0), 60_000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      const line = await eventually(() => stdout.includes('\n') && (JSON.parse(stdout.split('\n')[0]!) as { msg: string }), { description: 'the line on stdout', timeoutMs: 30_000 });
      expect(line).toMatchObject({ msg: 'alone', service: 'logger-test' });
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('writes a line logged while an earlier write is still running, once that write finishes', async () => {
    // A 256 KiB line fills the pipe while this test reads nothing, so the logger's write of it blocks; the last line
    // is logged during that write, and its batch's flush falls due before the write ends.
    const script = `import { createLogger } from ${JSON.stringify(loggerModule)};
      const logger = createLogger('logger-test', 'info');
      logger.info({ filler: 'x'.repeat(256 * 1024) }, 'filler');
      logger.info('last');
      setTimeout(() => process.exit(0), 60_000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const last = await eventually(() => stdout.split('\n').find((line) => line.includes('"msg":"last"')), { description: 'the last line on stdout', timeoutMs: 20_000 });
      expect(JSON.parse(last)).toMatchObject({ msg: 'last', service: 'logger-test' });
      expect(stdout.split('\n').filter((line) => line.includes('"msg":"filler"'))).toHaveLength(1);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  }, 40_000);
});
