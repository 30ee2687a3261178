import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { grpcTransport } from '@shop/runtime';
import { descendantsOf } from '@shop/testkit';
import { GetProductRequestSchema, ProductService } from '@shop/gen/product/v1/product_service_pb';
import { h2load } from './h2load.js';
import { startSystem } from './system.js';

/**
 * Profiles products.GetProduct under the load bench/load.ts applies: starts the system, starts a second products
 * process on the same store under `node --cpu-prof`, loads it with h2load and prints the functions with the most self time.
 * Usage: node --import tsx bench/load/profile-products.ts <profile-dir>
 */
const dir = process.argv[2] ?? 'products-profile';
const system = await startSystem();
try {
  const productsPid = descendantsOf(system.pid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('services/products/dist/main.js'))!;
  const env = Object.fromEntries(
    readFileSync(`/proc/${productsPid}/environ`, 'utf8').split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
  const profiled = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--enable-source-maps', 'services/products/dist/main.js'], { env: { ...env, PRODUCTS_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  profiled.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!/"address":"([^"]+)"[^\n]*"msg":"listening"/.test(output)) await new Promise((resolve) => setTimeout(resolve, 100));
  const address = /"address":"([^"]+)"[^\n]*"msg":"listening"/.exec(output)![1]!;
  const products = createClient(ProductService, grpcTransport(address));
  const { products: page } = await products.listProducts({ pageSize: 1 });
  const id = page[0]!.id;
  await products.getProduct({ id });
  const figures = await h2load(
    { name: 'profiled GetProduct', address, path: '/shop.product.v1.ProductService/GetProduct', message: toBinary(GetProductRequestSchema, create(GetProductRequestSchema, { id })) },
    { connections: 4, streams: 16, seconds: 8, warmUpSeconds: 1 },
  );
  profiled.kill('SIGTERM');
  await once(profiled, 'exit');
  const file = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).sort().at(-1)!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[] };
  const self = new Map<number, number>();
  for (const sample of profile.samples) self.set(sample, (self.get(sample) ?? 0) + 1);
  const byPlace = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/perf\//, '')}:${lineNumber + 1}`;
    byPlace.set(place, (byPlace.get(place) ?? 0) + count);
    const pkg = url.includes('node_modules/') ? url.split('node_modules/')[1]!.split('/').slice(0, url.split('node_modules/')[1]!.startsWith('@') ? 2 : 1).join('/') : url.startsWith('node:') ? 'node internals' : url ? 'service bundle' : functionName || '(native)';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const total = profile.samples.length;
  console.log(`GetProduct under h2load 4x16: ${Math.round(figures.requestsPerSecond)} req/s; ${total} samples`);
  console.log('\nSelf time by package:');
  for (const [pkg, count] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${((count / total) * 100).toFixed(1)} %  ${pkg}`);
  console.log('\nSelf time by function:');
  for (const [place, count] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((count / total) * 100).toFixed(1)} %  ${place}`);
} finally {
  await system.stop();
}
