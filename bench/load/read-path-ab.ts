import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { create, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { grpcTransport } from '@shop/runtime';
import { descendantsOf } from '@shop/testkit';
import { GetProductRequestSchema, ProductService } from '@shop/gen/product/v1/product_service_pb';
import { GetProductPageRequestSchema } from '@shop/gen/storefront/v1/storefront_service_pb';
import { SearchProductsRequestSchema } from '@shop/gen/search/v1/search_service_pb';
import { h2load, timedShape, TIMED_SHAPE_OPTIONS, type LoadFigures, type UnaryTarget } from './h2load.js';
import { cpuByProcess, cpuPerCall, processCpuSeconds, processEnvironment } from './process-cpu.js';
import type { CopiedService } from './service-copy.js';
import { startSystem } from './system.js';
import { scavengePauseMs } from './trace-gc.js';

const usage = `The read path of two builds side by side on one system: starts the system (npm start's, demo data), then a
copy of products and of the gateway (over that products copy) from each build folder, and of search when SearchProducts is among the calls, with the launcher's environment
and telemetry (tracing on, as the launcher sets it), and loads them in turns, in the opposite order every other round (h2load 4x16 unless --connections and --streams say otherwise, after the
same load unmeasured: --warm-up seconds in the first round, 1 s in later ones; then 200 calls one at a time),
next to the bare grpc-js echo. Prints req/s, CPU ms per call of the copies and of the stack's processes, unloaded p50 and the answers that were not OK.
The gateway copies get caller rate limits high enough that h2load's one address is not refused (h2load sees only HTTP status).
A build folder holds services/{products,gateway,search}/<dir>/main.js and packages/runtime/<dir>/telemetry-register.js
(for the baseline: build main in a worktree of its own, copy each dist/ into dist/before/ here; npm run build leaves dist/before/ alone).
A build may name V8 flags for its copies after "@", separated by spaces: --builds "dist@--max-semi-space-size=2,dist@--max-semi-space-size=8";
words of the form NAME=value there set environment variables of its copies instead: --builds "dist,dist@OTEL_TRACES_SAMPLER=always_off".
With --trace-gc among them, a last table gives each copy's young-generation collections (scavenges) and their main-thread pauses per 1000 calls.
Usage: node --import tsx bench/load/read-path-ab.ts [--builds dist/before,dist] [--calls GetProduct,GetProductPage,SearchProducts] [--rounds 2] [--warm-up 10] [--seconds 5] [--connections 4] [--streams 16]`;

const { values } = parseArgs({
  options: {
    builds: { type: 'string', default: 'dist/before,dist' },
    calls: { type: 'string', default: 'GetProduct,GetProductPage' },
    rounds: { type: 'string', default: '2' },
    'warm-up': { type: 'string', default: '10' },
    ...TIMED_SHAPE_OPTIONS,
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const builds = values.builds!.split(',');
/** Measured without h2load's own warm-up, so the CPU read around the run counts only the measured calls. */
const loaded = { ...timedShape(values), warmUpSeconds: 0 };
/** The same load unmeasured before each measured run: --warm-up seconds in the first round, so V8 has optimised the hot code, then 1 s. */
const warmUpSeconds = (round: number) => (round === 0 ? Number(values['warm-up']) : 1);
const unloaded = { connections: 1, streams: 1, requests: 200 } as const;
const log = (line: string) => process.stderr.write(`read-path: ${line}\n`);
/** CPU ms per call of the bench's own copies, leaving out the stack's processes ("stack ..." entries). */
const copiedCpuMs = (cpuMs: Record<string, number>) => Object.entries(cpuMs).reduce((sum, [name, ms]) => (name.startsWith('stack ') ? sum : sum + ms), 0);

/** Young-generation collections a process reported (--trace-gc) and their main-thread pauses. */
interface Scavenges {
  count: number;
  pauseMs: number;
}

/** A service process started by this bench, counting its served calls by status (and any --trace-gc scavenges) from its output. */
interface Copy {
  readonly address: string;
  readonly process: ChildProcess;
  readonly codes: Map<string, number>;
  readonly scavenges: Scavenges;
}


async function startCopy(service: CopiedService, build: string, env: Record<string, string>): Promise<Copy> {
  const [dir, settings = ''] = build.split('@');
  const words = settings.split(' ').filter(Boolean);
  const isVariable = (word: string) => /^[A-Z_][A-Z0-9_]*=/.test(word);
  const variables = Object.fromEntries(words.filter(isVariable).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
  const flags = words.filter((word) => !isVariable(word));
  const args = [...flags, '--enable-source-maps', '--import', `./packages/runtime/${dir}/telemetry-register.js`, `services/${service}/${dir}/main.js`];
  const child = spawn(process.execPath, args, { env: { ...env, ...variables }, stdio: ['ignore', 'pipe', 'inherit'] });
  const codes = new Map<string, number>();
  const scavenges: Scavenges = { count: 0, pauseMs: 0 };
  let address: string | undefined;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const call = /"code":"([A-Z_]+)"[^\n]*"msg":"call"/.exec(line);
    if (call) codes.set(call[1]!, (codes.get(call[1]!) ?? 0) + 1);
    const pauseMs = scavengePauseMs(line);
    if (pauseMs !== undefined) {
      scavenges.count += 1;
      scavenges.pauseMs += pauseMs;
    }
    address ??= /"address":"([^"]+)"[^\n]*"msg":"listening"/.exec(line)?.[1];
  });
  for (const deadline = Date.now() + 120_000; !address; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${service} from ${build} did not start`);
  }
  return { address, process: child, codes, scavenges };
}

async function startEcho(): Promise<{ address: string; stop: () => Promise<void> }> {
  const echo = spawn(process.execPath, ['--import', 'tsx', 'bench/load/echo-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(createInterface({ input: echo.stdout! }), 'line')) as [string];
  return { address: `127.0.0.1:${port}`, stop: async () => void (echo.kill('SIGTERM'), await once(echo, 'exit')) };
}

/** One measured call of one build. */
interface Measured {
  readonly build: string;
  readonly call: string;
  readonly loaded: LoadFigures;
  readonly unloaded: LoadFigures;
  readonly cpuMs: Record<string, number>;
  readonly notOk: Record<string, number>;
  /** Per 1000 calls, by copy, when the copies print --trace-gc lines. */
  readonly scavengesPer1000: Record<string, Scavenges>;
}

const system = await startSystem();
const echo = await startEcho();
const started: Copy[] = [];
try {
  const pidOf = (service: string) => descendantsOf(system.pid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`services/${service}/dist/main.js`))!;
  const productsEnv = { ...processEnvironment(pidOf('products')), PRODUCTS_PORT: '0', OTEL_EXPORTER_PROMETHEUS_PORT: '0' };
  const gatewayEnv = {
    ...processEnvironment(pidOf('gateway')),
    GATEWAY_GRPC_PORT: '0',
    GATEWAY_HTTP_PORT: '0',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    GATEWAY_ADDRESS_RATE_LIMIT_PER_SECOND: '1000000',
    GATEWAY_ADDRESS_RATE_LIMIT_BURST: '1000000',
  };
  const searchEnv = { ...processEnvironment(pidOf('search')), SEARCH_PORT: '0', OTEL_EXPORTER_PROMETHEUS_PORT: '0' };
  const copySearch = values.calls!.split(',').includes('SearchProducts');
  const copies = new Map<string, Partial<Record<CopiedService, Copy>>>();
  for (const build of builds) {
    const products = await startCopy('products', build, productsEnv);
    started.push(products);
    const gateway = await startCopy('gateway', build, { ...gatewayEnv, PRODUCTS_ADDR: products.address });
    started.push(gateway);
    const search = copySearch ? await startCopy('search', build, { ...searchEnv, PRODUCTS_ADDR: products.address }) : undefined;
    if (search) started.push(search);
    copies.set(build, { products, gateway, ...(search ? { search } : {}) });
  }
  const { products: shoes } = await createClient(ProductService, grpcTransport(system.address('products'))).listProducts({ categoryId: 'shoes', pageSize: 1 });
  const id = shoes[0]!.id;
  const getProduct = { path: '/shop.product.v1.ProductService/GetProduct', message: toBinary(GetProductRequestSchema, create(GetProductRequestSchema, { id })) };
  const page = { path: '/shop.storefront.v1.StorefrontService/GetProductPage', message: toBinary(GetProductPageRequestSchema, create(GetProductPageRequestSchema, { productId: id })) };
  const related = toBinary(SearchProductsRequestSchema, create(SearchProductsRequestSchema, { categoryIds: [shoes[0]!.categoryId], pageSize: 9 }));
  const relatedCall = { path: '/shop.search.v1.SearchService/SearchProducts', message: related };
  const relatedTarget: UnaryTarget = { name: 'related', address: system.address('search'), ...relatedCall };
  const relatedRuns: LoadFigures[] = [];
  const results: Measured[] = [];
  const echoTarget: UnaryTarget = { name: 'echo', address: echo.address, path: '/bench.v1.EchoService/Echo', message: getProduct.message };
  const echoRuns: Array<{ loaded: LoadFigures; unloaded: LoadFigures }> = [];
  for (let round = 0; round < Number(values.rounds); round += 1) {
    echoRuns.push({ loaded: await h2load(echoTarget, loaded), unloaded: await h2load(echoTarget, unloaded) });
    relatedRuns.push(await h2load(relatedTarget, unloaded));
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      const own = copies.get(build)!;
      const calls = [['GetProduct', own.products, getProduct], ['GetProductPage', own.gateway, page], ['SearchProducts', own.search, relatedCall]] as const;
      for (const [call, copy, shape] of calls.filter(([name]) => values.calls!.split(',').includes(name))) {
        if (!copy) continue;
        const ownCopies = Object.entries(own) as Array<[CopiedService, Copy]>;
        const target: UnaryTarget = { name: `${build}-${call}`, address: copy.address, ...shape };
        await h2load(target, { ...loaded, seconds: warmUpSeconds(round) });
        const codesBefore = new Map(copy.codes);
        const stackBefore = cpuByProcess(system.pid);
        const ownBefore = new Map(ownCopies.map(([name, started]) => [name, processCpuSeconds(started.process.pid!)]));
        const scavengesBefore = new Map(ownCopies.map(([name, started]) => [name, { ...started.scavenges }]));
        const underLoad = await h2load(target, loaded);
        const stackAfter = cpuByProcess(system.pid);
        const perCall = (seconds: number) => (seconds * 1000) / Math.max(1, underLoad.requests);
        const stack = cpuPerCall(stackBefore, stackAfter, underLoad.requests).map(([name, ms]) => [`stack ${name}`, ms] as const);
        const cpuMs: Record<string, number> = {
          ...Object.fromEntries(ownCopies.map(([name, started]) => [name, perCall(processCpuSeconds(started.process.pid!) - ownBefore.get(name)!)])),
          ...Object.fromEntries(stack),
        };
        const notOk = Object.fromEntries([...copy.codes].filter(([code, count]) => code !== 'OK' && count > (codesBefore.get(code) ?? 0)).map(([code, count]) => [code, count - (codesBefore.get(code) ?? 0)]));
        const per1000 = (now: Scavenges, before: Scavenges) => ({ count: ((now.count - before.count) * 1000) / Math.max(1, underLoad.requests), pauseMs: ((now.pauseMs - before.pauseMs) * 1000) / Math.max(1, underLoad.requests) });
        const scavengesPer1000 = Object.fromEntries(
          ownCopies.filter(([, started]) => started.scavenges.count > 0).map(([name, started]) => [name, per1000(started.scavenges, scavengesBefore.get(name)!)]),
        );
        const measured = { build, call, loaded: underLoad, unloaded: await h2load(target, unloaded), cpuMs, notOk, scavengesPer1000 };
        log(JSON.stringify(measured));
        results.push(measured);
      }
    }
  }
  const launcherLimits = { ...processEnvironment(pidOf('gateway')), GATEWAY_GRPC_PORT: '0', GATEWAY_HTTP_PORT: '0', OTEL_EXPORTER_PROMETHEUS_PORT: '0' };
  const limited = await startCopy('gateway', builds[0]!, { ...launcherLimits, PRODUCTS_ADDR: copies.get(builds[0]!)!.products!.address });
  started.push(limited);
  const limitedRun = await h2load({ name: 'limited-page', address: limited.address, ...page }, loaded);
  const limitedCodes = Object.fromEntries(limited.codes);
  const echoRate = echoRuns.reduce((sum, run) => sum + run.loaded.requestsPerSecond, 0) / echoRuns.length;
  const echoP50 = echoRuns.reduce((sum, run) => sum + run.unloaded.p50Ms, 0) / echoRuns.length;
  console.log(`echo: ${Math.round(echoRate)} req/s, unloaded p50 ${echoP50.toFixed(2)} ms (mean of ${echoRuns.length} runs); load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' / ')}\n`);
  console.log(`GetProductPage on a ${builds[0]} gateway with the launcher's caller rate limits: h2load counted ${limitedRun.requests} answers (HTTP 200), the gateway answered ${JSON.stringify(limitedCodes)}\n`);
  console.log(`the page's related-products search (search.SearchProducts, one category, 9 hits), direct: unloaded p50 ${relatedRuns.map((run) => run.p50Ms.toFixed(2)).join(' / ')} ms\n`);
  console.log('| build | call | req/s | share of echo | unloaded p50 ms | ÷ echo p50 | CPU ms per call (the copies, then the stack\'s processes) | not OK |');
  console.log('|---|---|--:|--:|--:|--:|---|---|');
  for (const row of results) {
    const cpu = Object.entries(row.cpuMs).map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(', ');
    console.log(
      `| ${row.build} | ${row.call} | ${Math.round(row.loaded.requestsPerSecond)} | ${((row.loaded.requestsPerSecond / echoRate) * 100).toFixed(1)} % | ${row.unloaded.p50Ms.toFixed(2)} | ${(row.unloaded.p50Ms / echoP50).toFixed(1)}× | ${cpu} | ${JSON.stringify(row.notOk)} |`,
    );
  }
  console.log('\nCPU ms per call of the copies (products, gateway and search when copied) over the rounds: the least is the least disturbed by other work on the machine.\n');
  console.log('| build | call | least | median |');
  console.log('|---|---|--:|--:|');
  for (const build of builds) {
    for (const call of new Set(results.map((row) => row.call))) {
      const costs = results.filter((row) => row.build === build && row.call === call).map((row) => copiedCpuMs(row.cpuMs)).sort((a, b) => a - b);
      if (costs.length > 0) console.log(`| ${build} | ${call} | ${costs[0]!.toFixed(2)} | ${costs[Math.floor((costs.length - 1) / 2)]!.toFixed(2)} |`);
    }
  }
  const withScavenges = results.filter((row) => Object.keys(row.scavengesPer1000).length > 0);
  if (withScavenges.length > 0) {
    console.log('\nYoung-generation collections of the copies while loaded (--trace-gc), per 1000 calls: count and main-thread pause.\n');
    console.log('| build | call | copy | scavenges | pause ms |');
    console.log('|---|---|---|--:|--:|');
    for (const row of withScavenges) {
      for (const [copy, figures] of Object.entries(row.scavengesPer1000)) console.log(`| ${row.build} | ${row.call} | ${copy} | ${figures.count.toFixed(1)} | ${figures.pauseMs.toFixed(1)} |`);
    }
  }
} finally {
  for (const copy of started.reverse()) {
    copy.process.kill('SIGTERM');
    if (copy.process.exitCode === null) await once(copy.process, 'exit');
  }
  await echo.stop();
  await system.stop();
}
