import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { cpuSecondsOf } from './process-cpu.js';

/** The bare grpc-js echo (bench/load/echo-server.ts) running in its own process. */
export interface EchoProcess {
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts a bench server script in its own process and waits for the port it prints. */
export async function startPrintingPort(script: string, args: readonly string[] = []): Promise<EchoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { address: `127.0.0.1:${port}`, pid: child.pid!, stop };
}

/** Starts one link of a bare chain (bench/load/echo-chain-server.ts) that calls each of `calls` before it answers. */
export function startChainLink(...calls: string[]): Promise<EchoProcess> {
  return startPrintingPort('bench/load/echo-chain-server.ts', calls.flatMap((call) => ['--call', call]));
}

/** Starts the echo server, the load bench's ceiling, and waits for its port. */
export function startEcho(): Promise<EchoProcess> {
  return startPrintingPort('bench/load/echo-server.ts');
}

/**
 * Bare chains of processes with the shapes of two of the system's calls and none of their work
 * (bench/load/echo-chain-server.ts), so each call can be set against what the transport allows for its shape:
 * - search-shaped: a gRPC echo that makes one HTTP/1.1 call per request (search calling Elasticsearch);
 * - page-shaped: a gRPC echo that calls a gRPC echo and the search-shaped chain at once (the gateway calling products
 *   and search for a product page).
 */
export interface EchoChains {
  readonly searchShaped: string;
  readonly pageShaped: string;
  /** CPU seconds each link has used so far, by its part in the chain. */
  cpuByLink(): Map<string, number>;
  stop(): Promise<void>;
}

export async function startEchoChains(): Promise<EchoChains> {
  const links = new Map<string, EchoProcess>();
  try {
    const [httpLeaf, grpcLeaf] = await Promise.all([startPrintingPort('bench/load/echo-chain-server.ts', ['--http']), startEcho()]);
    links.set('chain HTTP echo', httpLeaf).set('chain gRPC echo', grpcLeaf);
    links.set('chain search-shaped link', await startChainLink(`http://${httpLeaf.address}`));
    links.set('chain page-shaped link', await startChainLink(`grpc://${grpcLeaf.address}`, `grpc://${links.get('chain search-shaped link')!.address}`));
  } catch (error) {
    await Promise.all([...links.values()].map((link) => link.stop()));
    throw error;
  }
  return {
    searchShaped: links.get('chain search-shaped link')!.address,
    pageShaped: links.get('chain page-shaped link')!.address,
    cpuByLink: () => cpuSecondsOf(Object.fromEntries([...links].map(([name, link]) => [name, link.pid]))),
    stop: async () => void (await Promise.all([...links.values()].map((link) => link.stop()))),
  };
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
