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

/**
 * The p50 round trip of a bare @grpc/grpc-js client in this process calling the echo one call at a time (after as many
 * unmeasured): the least a hop between two Node processes of the system costs, where h2load's figure is a C client's.
 */
export async function nodeClientRoundTripP50Ms(address: string, calls = 2000): Promise<number> {
  const { Client, credentials } = await import('@grpc/grpc-js');
  const client = new Client(address, credentials.createInsecure(), { 'grpc.enable_channelz': 0 });
  const identity = (bytes: Buffer) => bytes;
  const message = Buffer.alloc(40, 1);
  const call = () => new Promise<void>((resolve, reject) => client.makeUnaryRequest('/bench.v1.EchoService/Echo', identity, identity, message, (error) => (error ? reject(error) : resolve())));
  try {
    for (let index = 0; index < calls; index += 1) await call();
    const times: number[] = [];
    for (let index = 0; index < calls; index += 1) {
      const started = performance.now();
      await call();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(calls / 2)]!;
  } finally {
    client.close();
  }
}
