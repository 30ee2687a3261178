import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The bare grpc-js echo (bench/load/echo-server.ts) running in its own process. */
export interface EchoProcess {
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the echo server, the load bench's ceiling, and waits for its port. */
export async function startEcho(): Promise<EchoProcess> {
  const echo = spawn(process.execPath, ['--import', 'tsx', 'bench/load/echo-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(createInterface({ input: echo.stdout! }), 'line')) as [string];
  return { address: `127.0.0.1:${port}`, pid: echo.pid!, stop: async () => void (echo.kill('SIGTERM'), await once(echo, 'exit')) };
}
