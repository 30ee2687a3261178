import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { create, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { grpcTransport } from '@shop/runtime';
import { GetProductRequestSchema, ProductService } from '@shop/gen/product/v1/product_service_pb';
import { GetProductPageRequestSchema, SearchProductsRequestSchema as StorefrontSearchRequestSchema } from '@shop/gen/storefront/v1/storefront_service_pb';
import { SearchProductsRequestSchema } from '@shop/gen/search/v1/search_service_pb';
import { h2load } from './h2load.js';
import { allocatedBytes, allocationsAsNodes, busyByLayer, startProfiling, stopProfiling, summarizeProfile, type ProfileKind } from './inspector-profiler.js';
import { nodeProcessRunning, processCpuSeconds } from './process-cpu.js';
import { startServiceCopy, type ServiceCopy } from './service-copy.js';
import { startSystem } from './system.js';

const usage = `Profiles a read under the load bench/load.ts applies: starts the system, starts a second copy of the service
(products for GetProduct, the gateway for GetProductPage, search for the load bench's text search) with the launcher's
command line (V8 flags, telemetry preload) and environment, warms it up, then runs the V8 profiler inside it (through its inspector) only while
h2load loads it, so start-up, warm-up and shutdown are left out; prints its CPU ms per call and the packages and
functions with the most self time, and writes <profile-dir>/<service>.cpuprofile. With --service es-standin it profiles
the system's own Elasticsearch stand-in, no copy, while h2load loads the system's search with that text search.
With --service gateway --call SearchProducts it profiles the gateway's search page (that text search, then one products
batch for live stock) instead of its product page.
With --allocations it samples where the allocated bytes come from instead (V8's sampling heap profiler, freed objects
included), prints the bytes allocated per call and their shares by package and function, and writes
<profile-dir>/<service>.heapprofile.
Usage: node --import tsx bench/load/profile-read.ts [--service products|gateway|search|es-standin] [--call SearchProducts] [--seconds 8] [--allocations] <profile-dir>`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { service: { type: 'string', default: 'products' }, call: { type: 'string' }, seconds: { type: 'string', default: '8' }, allocations: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});
const services = ['products', 'gateway', 'search', 'es-standin'] as const;
type ProfiledService = (typeof services)[number];
if (values.help || !services.includes(values.service as ProfiledService) || (values.call !== undefined && !(values.service === 'gateway' && values.call === 'SearchProducts'))) {
  console.log(usage);
  process.exit(values.help ? 0 : 1);
}
const service = values.service as ProfiledService;
const dir = positionals[0] ?? `${service}-profile`;
const kind: ProfileKind = values.allocations ? 'allocations' : 'cpu';
const system = await startSystem();
let copy: ServiceCopy | undefined;

try {
  const { pid: profiledPid, address } =
    service === 'es-standin' ? { pid: nodeProcessRunning(system.pid, 'es-standin/dist/cli.js'), address: system.address('search') } : (copy = await startServiceCopy(system.pid, service));
  const products = createClient(ProductService, grpcTransport(system.address('products')));
  const { products: page } = await products.listProducts({ categoryId: 'shoes', pageSize: 1 });
  const id = page[0]!.id;
  const targets: Record<Exclude<ProfiledService, 'es-standin'>, { name: string; path: string; message: Uint8Array }> = {
    products: { name: 'GetProduct', path: '/shop.product.v1.ProductService/GetProduct', message: toBinary(GetProductRequestSchema, create(GetProductRequestSchema, { id })) },
    gateway: { name: 'GetProductPage', path: '/shop.storefront.v1.StorefrontService/GetProductPage', message: toBinary(GetProductPageRequestSchema, create(GetProductPageRequestSchema, { productId: id })) },
    search: { name: 'SearchProducts', path: '/shop.search.v1.SearchService/SearchProducts', message: toBinary(SearchProductsRequestSchema, create(SearchProductsRequestSchema, { query: 'classic shoe', pageSize: 20 })) },
  };
  const gatewaySearch = { name: 'SearchProducts', path: '/shop.storefront.v1.StorefrontService/SearchProducts', message: toBinary(StorefrontSearchRequestSchema, create(StorefrontSearchRequestSchema, { query: 'classic shoe', pageSize: 20 })) };
  const { name, ...target } = values.call === 'SearchProducts' ? gatewaySearch : targets[service === 'es-standin' ? 'search' : service];
  await h2load({ name, address, ...target }, { connections: 1, streams: 1, requests: 200 });
  const profilePath = join(dir, `${service}.${kind === 'cpu' ? 'cpuprofile' : 'heapprofile'}`);
  mkdirSync(dir, { recursive: true });
  await startProfiling(profiledPid, kind);
  const cpuBefore = processCpuSeconds(profiledPid);
  const figures = await h2load({ name, address, ...target }, { connections: 4, streams: 16, seconds: Number(values.seconds), warmUpSeconds: 1 });
  const cpuMsPerCall = ((processCpuSeconds(profiledPid) - cpuBefore) * 1000) / figures.requests;
  await stopProfiling(profiledPid, profilePath, kind);
  const unloaded = await h2load({ name, address, ...target }, { connections: 1, streams: 1, requests: 200 });
  await copy?.stop();
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  const summary = summarizeProfile(kind === 'cpu' ? profile : allocationsAsNodes(profile), Infinity);
  const headline = `${service} ${name} under h2load 4x16: ${Math.round(figures.requestsPerSecond)} req/s, ${cpuMsPerCall.toFixed(2)} CPU ms per call (${service} process, profiler running); unloaded p50 ${unloaded.p50Ms.toFixed(2)} ms`;
  if (kind === 'cpu') {
    console.log(`${headline}; profile ${profilePath}`);
    console.log(`\nBusy (non-idle) self time by layer, while loaded:\n${busyByLayer(summary.packages).map(([layer, share]) => `  ${share.toFixed(1)} %  ${layer}`).join('\n')}`);
  } else {
    // The warm-up second is sampled too, so the calls it made count with the measured ones.
    const calls = figures.requests * (1 + 1 / Number(values.seconds));
    console.log(`${headline}; about ${(allocatedBytes(profile) / calls / 1024).toFixed(1)} KiB allocated per call; profile ${profilePath}`);
  }
  const what = kind === 'cpu' ? 'Self time' : 'Allocated bytes';
  console.log(`\n${what} by package, while loaded:\n${summary.packages.slice(0, 14).map(([pkg, share]) => `  ${share.toFixed(1)} %  ${pkg}`).join('\n')}`);
  console.log(`\n${what} by function, while loaded:\n${summary.functions.slice(0, 25).map(([place, share]) => `  ${share.toFixed(1)} %  ${place}`).join('\n')}`);
} finally {
  // A copy left running by a failed run (h2load missing, a profiler error) would outlive the bench.
  await copy?.stop();
  await system.stop();
}
