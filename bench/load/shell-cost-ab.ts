import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { create, toBinary } from '@bufbuild/protobuf';
import { GetCartRequestSchema } from '@shop/gen/cart/v1/cart_service_pb';
import { h2load, timedShape, TIMED_SHAPE_OPTIONS, type UnaryTarget } from './h2load.js';
import { processCpuSeconds } from './process-cpu.js';

const usage = `The runtime shell's own cost per served call, two source trees side by side: starts the runtime's test fixture
(packages/runtime/test/fixtures/fixture-main.ts, the cart contract answered from memory, no store) from each tree, with
that tree's compiled telemetry preload (packages/runtime/dist/telemetry-register.js) tracing every call to a local OTLP
sink and serving /metrics, then loads CartService/GetCart on each in turns (h2load, 4x16 by default) and prints the
fixture's CPU ms per call. With no store behind the call, what is measured is the transport, the shell and telemetry.
For the baseline: extract main into a folder of its own (git archive), link node_modules into it and copy main's
compiled telemetry-register.js into its packages/runtime/dist/.
Usage: node --import tsx bench/load/shell-cost-ab.ts --trees <baseline>,. [--rounds 4] [--seconds 5] [--connections 4] [--streams 16]`;

const { values } = parseArgs({
  options: {
    trees: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '4' },
    ...TIMED_SHAPE_OPTIONS,
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const trees = values.trees!.split(',').map((tree) => resolve(tree));
const shape = timedShape(values);

/** An OTLP/HTTP receiver that accepts every export and keeps nothing, counting the requests. */
async function startOtlpSink(): Promise<{ endpoint: string; exports: () => number; close: () => void }> {
  let count = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      count += 1;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => count, close: () => server.close() };
}

async function startFixture(tree: string, otlpEndpoint: string): Promise<{ address: string; process: ChildProcess }> {
  const args = ['--enable-source-maps', '--import', join(tree, 'packages/runtime/dist/telemetry-register.js'), '--import', 'tsx', join(tree, 'packages/runtime/test/fixtures/fixture-main.ts')];
  const env = {
    ...process.env,
    FIXTURE_PORT: '0',
    FIXTURE_STORE_URL: 'postgres://127.0.0.1:1/unused',
    OTEL_SERVICE_NAME: 'shell-fixture',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
  };
  const child = spawn(process.execPath, args, { cwd: tree, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const port = /^PORT=(\d+)$/.exec(line)?.[1];
    if (port) return { address: `127.0.0.1:${port}`, process: child };
  }
  throw new Error(`the fixture of ${tree} exited before listening`);
}

const sink = await startOtlpSink();
const fixtures: Array<{ tree: string; address: string; process: ChildProcess }> = [];
try {
  for (const tree of trees) fixtures.push({ tree, ...(await startFixture(tree, sink.endpoint)) });
  const message = toBinary(GetCartRequestSchema, create(GetCartRequestSchema, { userId: 'bench' }));
  const rows: Array<{ tree: string; rate: number; cpuMs: number }> = [];
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const fixture of fixtures) {
      const target: UnaryTarget = { name: 'GetCart', address: fixture.address, path: '/shop.cart.v1.CartService/GetCart', message };
      await h2load(target, { connections: 1, streams: 1, requests: 500 });
      const before = processCpuSeconds(fixture.process.pid!);
      const figures = await h2load(target, shape);
      const cpuMs = ((processCpuSeconds(fixture.process.pid!) - before) * 1000) / Math.max(1, figures.requests);
      rows.push({ tree: fixture.tree, rate: figures.requestsPerSecond, cpuMs });
      process.stderr.write(`shell-cost: ${fixture.tree} ${Math.round(figures.requestsPerSecond)} req/s, ${cpuMs.toFixed(3)} CPU ms per call\n`);
    }
  }
  console.log(`CartService/GetCart on the runtime's fixture, h2load ${shape.connections}x${shape.streams} for ${shape.seconds} s per round, tracing every call (${sink.exports()} OTLP exports received)\n`);
  console.log('| tree | rounds: req/s | rounds: CPU ms per call | least CPU ms | median CPU ms |');
  console.log('|---|---|---|--:|--:|');
  for (const tree of trees) {
    const mine = rows.filter((row) => row.tree === tree);
    const costs = mine.map((row) => row.cpuMs).sort((a, b) => a - b);
    console.log(
      `| ${tree} | ${mine.map((row) => Math.round(row.rate)).join(' / ')} | ${mine.map((row) => row.cpuMs.toFixed(3)).join(' / ')} | ${costs[0]!.toFixed(3)} | ${costs[Math.floor((costs.length - 1) / 2)]!.toFixed(3)} |`,
    );
  }
  if (trees.length === 2) {
    const ratios = rows.filter((row) => row.tree === trees[1]).map((row, round) => row.cpuMs / rows.filter((other) => other.tree === trees[0])[round]!.cpuMs).sort((a, b) => a - b);
    console.log(`\nCPU per call of the second tree over the first's in the same round: median ${ratios[Math.floor((ratios.length - 1) / 2)]!.toFixed(2)}, rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(' ')}`);
  }
} finally {
  for (const fixture of fixtures) {
    fixture.process.kill('SIGTERM');
    if (fixture.process.exitCode === null) await once(fixture.process, 'exit');
  }
  sink.close();
}
