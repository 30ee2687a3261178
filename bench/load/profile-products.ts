import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { create, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { grpcTransport, serviceNodeArgs } from '@shop/runtime';
import { descendantsOf } from '@shop/testkit';
import { GetProductRequestSchema, ProductService } from '@shop/gen/product/v1/product_service_pb';
import { GetProductPageRequestSchema } from '@shop/gen/storefront/v1/storefront_service_pb';
import { h2load } from './h2load.js';
import { processCpuSeconds, processEnvironment } from './process-cpu.js';
import { startSystem } from './system.js';

const usage = `Profiles the read path under the load bench/load.ts applies: starts the system, starts a second copy of the
service (products for GetProduct, the gateway for GetProductPage) with the launcher's environment and telemetry preload
under \`node --cpu-prof\`, loads it with h2load and prints its CPU ms per call and the functions with the most self time.
Usage: node --import tsx bench/load/profile-products.ts [--service products|gateway] [--seconds 8] <profile-dir>`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { service: { type: 'string', default: 'products' }, seconds: { type: 'string', default: '8' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help || (values.service !== 'products' && values.service !== 'gateway')) {
  console.log(usage);
  process.exit(values.help ? 0 : 1);
}
const service = values.service;
const dir = positionals[0] ?? `${service}-profile`;
/** Microseconds since boot: the clock a V8 CPU profile's timestamps count on Linux. */
const uptimeUs = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1e6;

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** The profile's samples taken between two instants (start-up and shutdown left out). */
function samplesBetween(profile: CpuProfile, fromUs: number, toUs: number): number[] {
  let at = profile.startTime;
  return profile.samples.filter((_, index) => {
    at += profile.timeDeltas[index]!;
    return at >= fromUs && at <= toUs;
  });
}

const system = await startSystem();
try {
  const pid = descendantsOf(system.pid).find((candidate) => readFileSync(`/proc/${candidate}/cmdline`, 'utf8').includes(`services/${service}/dist/main.js`))!;
  const env = { ...processEnvironment(pid), PRODUCTS_PORT: '0', GATEWAY_GRPC_PORT: '0', GATEWAY_HTTP_PORT: '0', OTEL_EXPORTER_PROMETHEUS_PORT: '0' };
  const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...serviceNodeArgs(), `services/${service}/dist/main.js`];
  const profiled = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  profiled.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const listening = /"address":"([^"]+)"[^\n]*"msg":"listening"/;
  while (!listening.test(output)) await new Promise((resolve) => setTimeout(resolve, 100));
  const address = listening.exec(output)![1]!;
  const products = createClient(ProductService, grpcTransport(system.address('products')));
  const { products: page } = await products.listProducts({ categoryId: 'shoes', pageSize: 1 });
  const id = page[0]!.id;
  const target =
    service === 'products'
      ? { path: '/shop.product.v1.ProductService/GetProduct', message: toBinary(GetProductRequestSchema, create(GetProductRequestSchema, { id })) }
      : { path: '/shop.storefront.v1.StorefrontService/GetProductPage', message: toBinary(GetProductPageRequestSchema, create(GetProductPageRequestSchema, { productId: id })) };
  const name = service === 'products' ? 'GetProduct' : 'GetProductPage';
  await h2load({ name, address, ...target }, { connections: 1, streams: 1, requests: 200 });
  const cpuBefore = processCpuSeconds(profiled.pid!);
  const loadStartedUs = uptimeUs();
  const figures = await h2load({ name, address, ...target }, { connections: 4, streams: 16, seconds: Number(values.seconds), warmUpSeconds: 1 });
  const loadEndedUs = uptimeUs();
  const cpuMsPerCall = ((processCpuSeconds(profiled.pid!) - cpuBefore) * 1000) / figures.requests;
  const unloaded = await h2load({ name, address, ...target }, { connections: 1, streams: 1, requests: 200 });
  profiled.kill('SIGTERM');
  await once(profiled, 'exit');
  const file = readdirSync(dir).filter((entry) => entry.endsWith(`.${profiled.pid}.0.001.cpuprofile`)).at(-1)!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const samples = samplesBetween(profile, loadStartedUs, loadEndedUs);
  const self = new Map<number, number>();
  for (const sample of samples) self.set(sample, (self.get(sample) ?? 0) + 1);
  const byPlace = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(services|packages)\//, '$1/')}:${lineNumber + 1}`;
    byPlace.set(place, (byPlace.get(place) ?? 0) + count);
    const module = url.split('node_modules/')[1];
    const pkg = module ? module.split('/').slice(0, module.startsWith('@') ? 2 : 1).join('/') : url.startsWith('node:') ? 'node internals' : url ? 'service bundle' : functionName || '(native)';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const total = samples.length;
  console.log(`${service} ${name} under h2load 4x16: ${Math.round(figures.requestsPerSecond)} req/s, ${cpuMsPerCall.toFixed(2)} CPU ms per call (${service} process); unloaded p50 ${unloaded.p50Ms.toFixed(2)} ms; ${total} samples while loaded (profile ${file}, µs ${Math.round(loadStartedUs)}-${Math.round(loadEndedUs)})`);
  console.log('\nSelf time by package, while loaded:');
  for (const [pkg, count] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${((count / total) * 100).toFixed(1)} %  ${pkg}`);
  console.log('\nSelf time by function, while loaded:');
  for (const [place, count] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((count / total) * 100).toFixed(1)} %  ${place}`);
} finally {
  await system.stop();
}
