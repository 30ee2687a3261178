import { mkdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient, type Client } from '@connectrpc/connect';
import type { DescService } from '@bufbuild/protobuf';
import { grpcTransport } from '@shop/runtime';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { checkoutClosedLoop, flashSale } from './checkout.js';
import { startProfiling, stopProfiling, summarizeProfile } from './inspector-profiler.js';
import { cpuByProcess, nodeProcessRunning } from './process-cpu.js';
import { startSystem } from './system.js';

const usage = `Checkout alone, as bench/load.ts drives it: starts the system (demo data), seeds --products products with ample
stock and 50 buyers, runs orders.CreateOrder from --buyers closed-loop callers for --seconds, prints checkouts/s and CPU ms
per checkout by process, then a flash sale (200 buyers, 20 units of one product, 5 s deadline).
With --profile <dir>, the V8 sampling profiler runs inside orders, users, products and the Mongo stand-in during the closed loop
(opened through SIGUSR1 on inspector port 9229) and the top self-time entries are printed.
Usage: node --import tsx bench/load/profile-checkout.ts [--products 1800] [--buyers 32] [--seconds 10] [--profile dir]`;

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '1800' },
    buyers: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '10' },
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const log = (line: string) => process.stderr.write(`checkout: ${line}\n`);
const client = <S extends DescService>(service: S, address: string) => createClient(service, grpcTransport(address)) as Client<S>;

async function seed(products: Client<typeof ProductService>, count: number, stock: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 16) {
    const batch = Array.from({ length: Math.min(16, count - start) }, (_, offset) => start + offset);
    const created = await Promise.all(
      batch.map((index) =>
        products.createProduct({ sku: `${prefix}-${index}`, name: `Bench item ${prefix} ${index}`, description: `Bench item number ${index}.`, categoryId: 'shoes', price: { amountMinor: 999n + BigInt(index), currencyCode: 'EUR' }, stock }),
      ),
    );
    ids.push(...created.map(({ product }) => product!.id));
  }
  return ids;
}

const profiled = ['orders', 'users', 'products', 'mongo-standin'];

/** CPU ms per call of each process between two readings, minus what it uses idle (at idlePerSecond for the same time). */
function netCpuPerCall(before: Map<string, number>, after: Map<string, number>, idlePerSecond: Map<string, number>, seconds: number, calls: number): Array<[string, number, number]> {
  return [...after]
    .map(([name, used]) => {
      const gross = ((used - (before.get(name) ?? 0)) * 1000) / Math.max(1, calls);
      const idle = ((idlePerSecond.get(name) ?? 0) * seconds * 1000) / Math.max(1, calls);
      return [name, gross, Math.max(0, gross - idle)] as [string, number, number];
    })
    .filter(([, gross]) => gross >= 0.05)
    .sort((a, b) => b[1] - a[1]);
}

const system = await startSystem();
try {
  const products = client(ProductService, system.address('products'));
  const users = client(UserService, system.address('users'));
  const orders = client(OrderService, system.address('orders'));
  const search = client(SearchService, system.address('search'));
  const count = Number(values.products);
  log(`seeding ${count} products…`);
  const productIds = await seed(products, count, 1_000_000, `CHECKOUT-${Date.now()}`);
  const customerIds: string[] = [];
  for (let index = 0; index < 50; index += 1) {
    const { user } = await users.createUser({ email: `buyer-${index}-${Date.now()}@bench.shop.example`, displayName: `Buyer ${index}`, address: { line1: '1 Bench Street', line2: '10000 Loadtown', line3: 'Benchland' } });
    customerIds.push(user!.id);
  }
  for (let settled = 0; settled < 3; ) {
    const { totalSize } = await search.searchProducts({ pageSize: 1 });
    settled = totalSize >= BigInt(count) ? settled + 1 : 0;
    await new Promise((done) => setTimeout(done, 1000));
  }
  await checkoutClosedLoop(orders, { customerIds, productIds }, 8, 2);
  const pids = new Map(profiled.map((name) => [name, nodeProcessRunning(system.pid, `${name}/dist/`)] as const));
  const dir = values.profile ? resolve(values.profile) : undefined;
  if (dir) {
    await mkdir(dir, { recursive: true });
    for (const name of profiled) await startProfiling(pids.get(name)!);
  }
  const buyers = Number(values.buyers);
  log('idle for 5 s…');
  const idleStart = cpuByProcess(system.pid);
  await new Promise((done) => setTimeout(done, 5000));
  const idlePerSecond = new Map([...cpuByProcess(system.pid)].map(([name, used]) => [name, (used - (idleStart.get(name) ?? 0)) / 5]));
  log(`closed loop, ${buyers} buyers for ${values.seconds} s…`);
  const before = cpuByProcess(system.pid);
  const stats = await checkoutClosedLoop(orders, { customerIds, productIds }, buyers, Number(values.seconds));
  const cpu = netCpuPerCall(before, cpuByProcess(system.pid), idlePerSecond, Number(values.seconds), stats.calls);
  if (dir) for (const name of profiled) await stopProfiling(pids.get(name)!, join(dir, `${name}.cpuprofile`));
  console.log(`closed loop (${buyers} buyers, ${count} products): ${stats.throughputPerSecond.toFixed(1)} checkouts/s, p50 ${stats.p50Ms.toFixed(1)} ms, p99 ${stats.p99Ms.toFixed(1)} ms, failures ${JSON.stringify(stats.failures)}`);
  console.log(`CPU ms per checkout (net of idle use): ${cpu.map(([name, , net]) => `${name} ${net.toFixed(2)}`).join(', ')}; total ${cpu.reduce((sum, [, , net]) => sum + net, 0).toFixed(1)}`);
  console.log(`CPU ms per checkout (gross): ${cpu.map(([name, gross]) => `${name} ${gross.toFixed(2)}`).join(', ')}; total ${cpu.reduce((sum, [, gross]) => sum + gross, 0).toFixed(1)}`);
  console.log(`load average at the end of the loop: ${loadavg().map((value) => value.toFixed(1)).join(' / ')}`);
  const [hot] = await seed(products, 1, 20, `FLASH-${Date.now()}`);
  const sale = await flashSale(orders, customerIds, hot!, 20, 200, 5_000);
  const remaining = (await products.getProduct({ id: hot! })).product!.stock;
  console.log(`flash sale: ${JSON.stringify(sale.statuses)} failed ${JSON.stringify(sale.failures)}; p50 ${sale.p50Ms.toFixed(0)} ms, p99 ${sale.p99Ms.toFixed(0)} ms, slowest ${sale.maxMs.toFixed(0)} ms; stock left ${remaining}`);
  for (const name of dir ? profiled : []) {
    const summary = summarizeProfile(JSON.parse(await readFile(join(dir!, `${name}.cpuprofile`), 'utf8')));
    console.log(`\n${name}: self time by package\n${summary.packages.map(([pkg, share]) => `  ${share.toFixed(1)} %  ${pkg}`).join('\n')}`);
    console.log(`${name}: self time by function\n${summary.functions.map(([fn, share]) => `  ${share.toFixed(1)} %  ${fn}`).join('\n')}`);
  }
} finally {
  await system.stop();
}
