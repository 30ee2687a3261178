import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { createServiceClient, grpcTransport } from '@shop/runtime';
import { CartService, GetCartRequestSchema, GetCartResponseSchema } from '@shop/gen/cart/v1/cart_service_pb';
import { processCpuSeconds } from './process-cpu.js';

const usage = `Compares the client side of one unary call, side by side against the same grpc-js server (the runtime's cart
fixture in its own process): Connect's gRPC transport (connect-node), the runtime's transport (Connect client over a
grpc-js channel), the runtime's service client on it (deadlines, retries, breaker) and a bare grpc-js client.
Prints calls/s and CPU µs per call of the client and of the server process, with the given calls in flight.
Usage: node --import tsx bench/load/client-transports.ts [--calls 20000] [--concurrency 64] [--rounds 2]`;

const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '64' }, rounds: { type: 'string', default: '2' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);

const server = spawn(process.execPath, ['--import', 'tsx', 'packages/runtime/test/fixtures/fixture-main.ts'], {
  env: { ...process.env, FIXTURE_PORT: '0', FIXTURE_STORE_URL: 'postgres://bench@127.0.0.1:1/none', OTEL_SDK_DISABLED: 'true' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
while (!/PORT=(\d+)/.test(output)) await new Promise((resolve) => setTimeout(resolve, 50));
const address = `127.0.0.1:${/PORT=(\d+)/.exec(output)![1]}`;

type Call = () => Promise<unknown>;

function bareGrpcJs(): Call {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const serialize = (message: Parameters<typeof toBinary<typeof GetCartRequestSchema>>[1]) => Buffer.from(toBinary(GetCartRequestSchema, message));
  const deserialize = (bytes: Buffer) => fromBinary(GetCartResponseSchema, bytes);
  const request = create(GetCartRequestSchema, { userId: 'bench' });
  return () =>
    new Promise((resolve, reject) =>
      client.makeUnaryRequest('/shop.cart.v1.CartService/GetCart', serialize, deserialize, request, new grpc.Metadata(), { deadline: Date.now() + 5000 }, (error, value) => (error ? reject(error) : resolve(value))),
    );
}

const variants: Array<[string, () => Call]> = [
  ['Connect client, connect-node gRPC transport', () => {
    const client = createClient(CartService, createGrpcTransport({ baseUrl: `http://${address}` }));
    return () => client.getCart({ userId: 'bench' }, { timeoutMs: 5000 });
  }],
  ['Connect client, grpc-js channel (grpcTransport)', () => {
    const client = createClient(CartService, grpcTransport(address));
    return () => client.getCart({ userId: 'bench' }, { timeoutMs: 5000 });
  }],
  ['createServiceClient (grpcTransport + resilience)', () => {
    const client = createServiceClient(CartService, { name: 'cart', address });
    return () => client.getCart({ userId: 'bench' });
  }],
  ['bare grpc-js client', bareGrpcJs],
];

async function drive(call: Call, count: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const rows: string[] = [];
for (let round = 1; round <= Number(values.rounds); round += 1) {
  for (const [name, make] of variants) {
    const call = make();
    await drive(call, 500);
    const serverBefore = processCpuSeconds(server.pid!);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    await drive(call, calls);
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    const serverUs = ((processCpuSeconds(server.pid!) - serverBefore) * 1e6) / calls;
    rows.push(`| ${round} | ${name} | ${Math.round(calls / seconds)} | ${((client.user + client.system) / calls).toFixed(1)} | ${serverUs.toFixed(1)} |`);
  }
}
console.log(`${calls} GetCart calls per variant, ${concurrency} in flight, server ${address}\n`);
console.log('| round | client | calls/s | client CPU µs/call | server CPU µs/call |\n|---|---|--:|--:|--:|');
console.log(rows.join('\n'));
server.kill('SIGTERM');
await once(server, 'exit');
process.exit(0);
