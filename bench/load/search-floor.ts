import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { create, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { grpcTransport } from '@shop/runtime';
import { SearchProductsRequestSchema, SearchService } from '@shop/gen/search/v1/search_service_pb';
import { startEcho, startEchoChains, startPrintingPort } from './echo-process.js';
import { h2load, timedShape, TIMED_SHAPE_OPTIONS, type LoadFigures, type UnaryTarget } from './h2load.js';
import { cpuByProcess, cpuPerCall, cpuSecondsOf, nodeProcessRunning, processEnvironment } from './process-cpu.js';
import { startServiceCopy } from './service-copy.js';
import { startSystem, waitForCatalogue } from './system.js';

const usage = `What direct search costs with Elasticsearch taken out: starts the system (demo data), then a copy of search
(the launcher's command line and environment) whose Elasticsearch is bench/load/replaying-elasticsearch.ts in front of
the system's stand-in, which answers a search it has already answered with that recorded answer at once. Loads, in
turns for --rounds rounds: the bare grpc-js echo, the bare chain shaped like a direct search (gRPC, then HTTP; no work),
the system's search (load.ts's text search, 200 products) and the copy over the replaying front, each after 10 s (first
round) or 2 s of the same load unmeasured. Prints req/s, share of the echo and CPU ms per call by process, and writes
--out (markdown).
Usage: node --import tsx bench/load/search-floor.ts [--rounds 3] [--seconds 5] [--connections 4] [--streams 16] [--out file.md]`;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, out: { type: 'string' }, ...TIMED_SHAPE_OPTIONS, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const loaded = { ...timedShape(values), warmUpSeconds: 0 };
const log = (line: string) => process.stderr.write(`search-floor: ${line}\n`);
const query = { query: 'classic shoe', pageSize: 20 };
const searchMessage = toBinary(SearchProductsRequestSchema, create(SearchProductsRequestSchema, query));
const searchPath = '/shop.search.v1.SearchService/SearchProducts';

interface Measured {
  readonly round: number;
  readonly name: string;
  readonly loaded: LoadFigures;
  readonly cpu: Array<[string, number]>;
}

/** The stand-in's URL with the replaying front's host and port in its place (credentials and path kept). */
function throughFront(url: string, front: string): string {
  const replaced = new URL(url);
  replaced.host = front;
  return replaced.toString();
}

const system = await startSystem();
const stopping: Array<{ stop(): Promise<void> }> = [];
try {
  await waitForCatalogue(createClient(SearchService, grpcTransport(system.address('search'))), 200n, log);
  const echo = await startEcho();
  stopping.push(echo);
  const chains = await startEchoChains();
  stopping.push(chains);
  const esUrl = processEnvironment(nodeProcessRunning(system.pid, 'services/search/dist/main.js')).SEARCH_ELASTICSEARCH_URL!;
  const front = await startPrintingPort('bench/load/replaying-elasticsearch.ts', ['--upstream', new URL(esUrl).origin]);
  stopping.push(front);
  const copy = await startServiceCopy(system.pid, 'search', { SEARCH_ELASTICSEARCH_URL: throughFront(esUrl, front.address) });
  stopping.push(copy);
  const targets: Array<{ target: UnaryTarget; cpu: () => Map<string, number>; minMs: number }> = [
    { target: { name: 'echo (bare grpc-js unary, the ceiling)', address: echo.address, path: '/bench.v1.EchoService/Echo', message: searchMessage }, cpu: () => cpuSecondsOf({ echo: echo.pid }), minMs: 0.005 },
    { target: { name: 'bare chain shaped like a direct search (gRPC, then HTTP; no work)', address: chains.searchShaped, path: '/bench.v1.EchoService/Echo', message: searchMessage }, cpu: chains.cpuByLink, minMs: 0.005 },
    { target: { name: "search.SearchProducts, direct, on the system's stand-in", address: system.address('search'), path: searchPath, message: searchMessage }, cpu: () => cpuByProcess(system.pid), minMs: 0.05 },
    {
      target: { name: 'search.SearchProducts, direct, a copy of search on the replaying front', address: copy.address, path: searchPath, message: searchMessage },
      cpu: () => cpuSecondsOf({ 'search copy': copy.pid, 'replaying front': front.pid }),
      minMs: 0.005,
    },
  ];
  const results: Measured[] = [];
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const { target, cpu, minMs } of targets) {
      await h2load(target, { ...loaded, seconds: round === 0 ? 10 : 2 });
      const before = cpu();
      const figures = await h2load(target, loaded);
      if (figures.failed > 0) throw new Error(`${target.name}: ${figures.failed} requests failed under h2load`);
      const measured = { round, name: target.name, loaded: figures, cpu: cpuPerCall(before, cpu(), figures.requests, minMs) };
      log(JSON.stringify(measured));
      results.push(measured);
    }
  }
  const echoOf = (round: number) => results.find((row) => row.round === round && row.name === targets[0]!.target.name)!.loaded.requestsPerSecond;
  const lines = [
    '# Direct search with Elasticsearch taken out',
    '',
    `Measured by \`node --import tsx bench/load/search-floor.ts\` on ${new Date().toISOString().slice(0, 10)}, ${values.rounds} rounds, on this 2-core machine (load average at the end: ${loadavg().map((value) => value.toFixed(1)).join(' / ')}).`,
    `h2load ${loaded.connections} connections × ${loaded.streams} streams for ${loaded.seconds} s per figure, each after the same load unmeasured; load.ts's text search ("classic shoe", 20 hits, totals and facets) over 200 products.`,
    'The copy of search runs as the launcher runs search (command line, environment, tracing), but its Elasticsearch is a replaying front: an HTTP server that answers a search it has already answered with the recorded answer, so Elasticsearch costs next to nothing (about what the bare chain\'s HTTP echo costs).',
    '',
    'A Node process does its JavaScript on one thread, so one that uses about one core under load (the cores column: CPU ms per call × calls per second) is the bottleneck, whatever else the machine has free.',
    '',
    '| round | call | req/s | share of that round\'s echo | CPU ms per call, by process (cores used) |',
    '|--:|---|--:|--:|---|',
    ...results.map((row) => `| ${row.round + 1} | ${row.name} | ${Math.round(row.loaded.requestsPerSecond)} | ${((row.loaded.requestsPerSecond / echoOf(row.round)) * 100).toFixed(1)} % | ${row.cpu.map(([name, ms]) => `${name} ${ms.toFixed(3)} (${((ms * row.loaded.requestsPerSecond) / 1000).toFixed(2)})`).join(', ')} |`),
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  if (values.out) writeFileSync(values.out, text);
} finally {
  for (const running of stopping.reverse()) await running.stop();
  await system.stop();
}
