import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startChainLink, startEcho, startEchoChains, type EchoChains, type EchoProcess } from './echo-process.js';
import { h2load, type LoadFigures } from './h2load.js';
import { processCpuSeconds } from './process-cpu.js';

const usage = `What the transport alone allows for each shape a call of the system can have: bare chains of processes that
do none of the work (bench/load/echo-chain-server.ts), loaded and unloaded by h2load as bench/load.ts loads the echo,
side by side in one run: the echo (one gRPC hop), a gRPC hop that forwards to the echo (a gateway passing one call
on), the same with a bare node:http2 client instead of grpc-js's (the least a gRPC client in Node costs), a gRPC hop
that calls the echo twice at once (a gateway composing two calls), a gRPC hop that makes one HTTP/1.1 call (search
calling Elasticsearch), and a product page's shape (a gRPC hop calling the echo and the search shape at once).
Prints and writes req/s, its share of the echo's, p50 unloaded and its ratio to the echo's, and CPU ms per call.
Usage: node --import tsx bench/load/shape-ceilings.ts [--rounds 2] [--seconds 5] [--out bench/results/shape-ceilings.md]`;

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, seconds: { type: 'string', default: '5' }, out: { type: 'string', default: 'bench/results/shape-ceilings.md' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const rounds = Number(values.rounds);
const loaded = { connections: 4, streams: 16, seconds: Number(values.seconds), warmUpSeconds: 0 } as const;
const warmUp = { ...loaded, seconds: 3 } as const;
const unloaded = { connections: 1, streams: 1, requests: 500 } as const;
const message = new Uint8Array(40).fill(1);

/** One shape: the address h2load calls and the CPU seconds used so far by every process of its chain. */
interface Shape {
  readonly name: string;
  readonly address: string;
  cpu(): number;
}

const cpuOf = (...processes: EchoProcess[]) => () => processes.reduce((sum, process) => sum + processCpuSeconds(process.pid), 0);
const cpuOfLinks = (chains: EchoChains, ...links: string[]) => () => {
  const byLink = chains.cpuByLink();
  return links.reduce((sum, name) => sum + byLink.get(name)!, 0);
};

interface Measured {
  readonly loaded: LoadFigures;
  readonly unloadedP50Ms: number;
  readonly cpuMsPerCall: number;
}

const started: EchoProcess[] = [];
/** Waits for a process of a chain and keeps it for the final stop. */
async function keep(starting: Promise<EchoProcess>): Promise<EchoProcess> {
  const process = await starting;
  started.push(process);
  return process;
}

async function measure(shape: Shape): Promise<Measured> {
  const target = { name: shape.name, address: shape.address, path: '/bench.v1.EchoService/Echo', message };
  await h2load(target, warmUp);
  const before = shape.cpu();
  const figures = await h2load(target, loaded);
  const cpuMsPerCall = ((shape.cpu() - before) * 1000) / Math.max(1, figures.requests);
  if (figures.failed > 0) throw new Error(`${shape.name}: ${figures.failed} requests failed`);
  return { loaded: figures, unloadedP50Ms: (await h2load(target, unloaded)).p50Ms, cpuMsPerCall };
}

const loadAverage = loadavg().map((value) => value.toFixed(1)).join(' / ');
let chains: EchoChains | undefined;
try {
  const echo = await keep(startEcho());
  const grpcEcho = `grpc://${echo.address}`;
  const [forward, bareForward, fanOut] = [await keep(startChainLink(grpcEcho)), await keep(startChainLink(`h2://${echo.address}`)), await keep(startChainLink(grpcEcho, grpcEcho))];
  chains = await startEchoChains();
  const shapes: Shape[] = [
    { name: 'echo: one gRPC hop (the ceiling of bench/load.ts)', address: echo.address, cpu: cpuOf(echo) },
    { name: 'forward: a gRPC hop that calls the echo', address: forward.address, cpu: cpuOf(forward, echo) },
    { name: 'forward, with a bare node:http2 client (no gRPC library) instead of grpc-js', address: bareForward.address, cpu: cpuOf(bareForward, echo) },
    { name: 'fan-out: a gRPC hop that calls the echo twice at once', address: fanOut.address, cpu: cpuOf(fanOut, echo) },
    { name: 'search shape: a gRPC hop that makes one HTTP/1.1 call', address: chains.searchShaped, cpu: cpuOfLinks(chains, 'chain search-shaped link', 'chain HTTP echo') },
    { name: 'page shape: a gRPC hop that calls the echo and the search shape at once', address: chains.pageShaped, cpu: cpuOfLinks(chains, ...chains.cpuByLink().keys()) },
  ];
  const results: Measured[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const measured: Measured[] = [];
    for (const shape of shapes) {
      measured.push(await measure(shape));
      process.stderr.write(`shape-ceilings: round ${round + 1}, ${shape.name}: ${JSON.stringify(measured.at(-1))}\n`);
    }
    results.push(measured);
  }
  const rows = shapes.map((shape, index) => {
    const cells = results.map((round) => {
      const [echoFigures, figures] = [round[0]!, round[index]!];
      return {
        rate: `${Math.round(figures.loaded.requestsPerSecond)} (${((figures.loaded.requestsPerSecond / echoFigures.loaded.requestsPerSecond) * 100).toFixed(1)} %)`,
        unloaded: `${figures.unloadedP50Ms.toFixed(3)} (${(figures.unloadedP50Ms / echoFigures.unloadedP50Ms).toFixed(1)}×)`,
        cpu: figures.cpuMsPerCall.toFixed(3),
      };
    });
    return `| ${shape.name} | ${cells.map((cell) => cell.rate).join(' · ')} | ${cells.map((cell) => cell.unloaded).join(' · ')} | ${cells.map((cell) => cell.cpu).join(' · ')} |`;
  });
  const text = [
    '# What the transport alone allows for each shape of call',
    '',
    `Measured by \`./scripts/node.sh --import tsx bench/load/shape-ceilings.ts --rounds ${rounds}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, on this 2-core machine shared with other work (load average at the start: ${loadAverage}). Every shape is a chain of bare processes that pass the request's 40 bytes through and do none of the work (\`bench/load/echo-chain-server.ts\`: @grpc/grpc-js servers and clients, Node's HTTP server, an undici pool as the Elasticsearch client uses). h2load loads each with ${loaded.connections} connections × ${loaded.streams} streams for ${loaded.seconds} s after ${warmUp.seconds} s unmeasured, then sends ${unloaded.requests} requests one at a time. Each cell gives the rounds in order; shares and ratios are to the echo of the same round.`,
    '',
    '| shape | req/s (share of the echo) | unloaded p50 ms (÷ the echo\'s) | CPU ms per call, all its processes |',
    '|---|--:|--:|--:|',
    ...rows,
    '',
  ].join('\n');
  console.log(text);
  await writeFile(values.out!, text);
} finally {
  await Promise.all([...started.map((process) => process.stop()), chains?.stop()]);
}
