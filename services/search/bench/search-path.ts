/**
 * The direct search path alone: the compiled search service over the compiled ES stand-in (with basic authentication,
 * as the launcher runs it), each its own process, at 200 and at 2,000 products (test/shop-catalogue.ts). For each size:
 * h2load's unloaded p50 (one stream), loaded req/s, p50 and p99 (4 connections x 16 streams, right after the unloaded
 * run, so the search service's pool of Elasticsearch connections grows at its start; at 2,000 products after 6 s
 * without searches, past the stand-in's 5 s keep-alive, as after the load bench's seeding), and the CPU milliseconds per search
 * of each process, read from /proc; for the load bench's text search and for the gateway product page's related-products
 * search. With --profile <dir> both processes run under `node --cpu-prof` and the functions with the most self time are
 * printed. --root <dir> runs the compiled stand-in and service of another checkout (built there), for before/after pairs.
 * Run `npm run -s build` first.
 * Usage: ./scripts/node.sh --import tsx services/search/bench/search-path.ts [--seconds 8] [--profile <dir>] [--only-200] [--root <dir>]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:http2';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { Client } from '@elastic/elasticsearch';
import { SearchProductsRequestSchema } from '@shop/gen/search/v1/search_service_pb';
import { grpcFrame, h2load, type UnaryTarget } from '../../../bench/load/h2load.js';
import type { IndexedProduct } from '../src/domain/indexed-product.js';
import { toSource } from '../src/storage/product-source.js';
import { demoCatalogue, laterSnapshots, loadCatalogue } from '../test/shop-catalogue.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, profile: { type: 'string' }, 'only-200': { type: 'boolean', default: false }, root: { type: 'string', default: '.' } } });
const root = resolve(values.root);
const seconds = Number(values.seconds);
const profileDir = values.profile ? resolve(values.profile) : undefined;
const work = mkdtempSync(join(tmpdir(), 'search-path-'));
const password = 'search-path-bench-password';
/** Longer than the stand-in's keep-alive (Node's 5 s): the search service's idle Elasticsearch connections close. */
const keepAliveIdleMs = 6000;

function startProcess(name: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : [];
  const child = spawn(process.execPath, [...profiling, '--enable-source-maps', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  return new Promise((resolveStart, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolveStart({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
  });
}

function cpuMillis(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

writeFileSync(join(work, 'users.json'), JSON.stringify([{ username: 'search_svc', password, indices: ['products*'] }]));
const es = await startProcess('es-standin', [join(root, 'infra/es-standin/dist/cli.js'), '--port', '0', '--data-dir', join(work, 'es'), '--users-file', join(work, 'users.json')], {}, /at (http:\/\/\S+),/);
const esUrl = es.match[1]!;
const search = await startProcess(
  'search',
  [join(root, 'services/search/dist/main.js')],
  { SEARCH_PORT: '0', SEARCH_ELASTICSEARCH_URL: esUrl.replace('http://', `http://search_svc:${password}@`), NATS_URL: 'nats://127.0.0.1:1', LOG_LEVEL: 'info' },
  /"address":"([^"]+)"[^\n]*"msg":"listening"/,
);
const address = search.match[1]!;
const client = new Client({ node: esUrl, auth: { username: 'search_svc', password } });

async function write(products: readonly IndexedProduct[]): Promise<void> {
  const snapshots = [...products, ...laterSnapshots(products)];
  const operations = snapshots.flatMap((product) => [{ index: { _index: 'products', _id: product.productId, version: Number(product.version), version_type: 'external' as const } }, toSource(product)]);
  await client.bulk({ operations, refresh: true });
}

function searchTarget(name: string, request: MessageInitShape<typeof SearchProductsRequestSchema>): UnaryTarget {
  return { name, address, path: '/shop.search.v1.SearchService/SearchProducts', message: toBinary(SearchProductsRequestSchema, create(SearchProductsRequestSchema, request)) };
}

const targets = [
  searchTarget('text search', { query: 'classic shoe', pageSize: 20 }),
  searchTarget('related products', { relatedToProductId: 'demo-shoes-3', pageSize: 8 }),
];
/** One call of the target over HTTP/2; throws unless it answers grpc-status 0 (h2load counts only HTTP failures). */
async function expectAnswered(target: UnaryTarget): Promise<void> {
  const session = connect(`http://${target.address}`);
  try {
    const call = session.request({ ':method': 'POST', ':path': target.path, 'content-type': 'application/grpc', te: 'trailers' });
    let status: string | undefined;
    let message: string | undefined;
    const note = (headers: Record<string, unknown>) => {
      status ??= headers['grpc-status'] as string | undefined;
      message ??= headers['grpc-message'] as string | undefined;
    };
    call.on('response', note).on('trailers', note).resume();
    call.end(grpcFrame(target.message));
    await once(call, 'close');
    if (status !== '0') throw new Error(`${target.name} answered grpc-status ${status}: ${decodeURIComponent(message ?? '')}`);
  } finally {
    session.close();
  }
}

const rows: string[] = [];
async function measure(size: number, target: UnaryTarget): Promise<void> {
  await expectAnswered(target);
  const unloaded = await h2load(target, { connections: 1, streams: 1, requests: 300 });
  const before = [cpuMillis(es.child.pid!), cpuMillis(search.child.pid!)];
  const loaded = await h2load(target, { connections: 4, streams: 16, seconds, warmUpSeconds: 1 });
  const after = [cpuMillis(es.child.pid!), cpuMillis(search.child.pid!)];
  const calls = loaded.requests - loaded.unfinished;
  const [esCpu, searchCpu] = after.map((value, position) => (value - before[position]!) / calls);
  if (loaded.failed + unloaded.failed > 0) throw new Error(`${loaded.failed + unloaded.failed} searches failed`);
  rows.push(`| ${size.toLocaleString('en')} | ${target.name} | ${unloaded.p50Ms.toFixed(2)} | ${Math.round(loaded.requestsPerSecond)} | ${loaded.p50Ms.toFixed(2)} | ${loaded.p99Ms.toFixed(2)} | ${esCpu!.toFixed(2)} | ${searchCpu!.toFixed(2)} |`);
}

function topSelfTime(name: string): string[] {
  const dir = join(profileDir!, name);
  const file = readdirSync(dir).filter((entry) => entry.endsWith('.cpuprofile')).sort().at(-1)!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[] };
  const hits = new Map<number, number>();
  for (const sample of profile.samples) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const byPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const place = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(services|infra)\//, '$1/')}:${lineNumber + 1}`;
    byPlace.set(place, (byPlace.get(place) ?? 0) + (hits.get(node.id) ?? 0));
  }
  const busy = profile.samples.length - (byPlace.get('(idle) :0') ?? 0);
  return [...byPlace].filter(([place]) => place !== '(idle) :0').sort((a, b) => b[1] - a[1]).slice(0, 25).map(([place, count]) => `  ${((count / busy) * 100).toFixed(1)} %  ${place}`);
}

try {
  await write(demoCatalogue());
  for (const target of targets) await measure(200, target);
  if (!values['only-200']) {
    await write(loadCatalogue(1800));
    await new Promise((resolve) => setTimeout(resolve, keepAliveIdleMs));
    for (const target of targets) await measure(2000, target);
  }
} finally {
  await client.close();
  await stop(search.child);
  await stop(es.child);
  rmSync(work, { recursive: true, force: true });
}
console.log('| products | search | unloaded p50 ms | loaded req/s (4x16) | loaded p50 ms | loaded p99 ms | ES stand-in CPU ms/search | search CPU ms/search |');
console.log('|--:|---|--:|--:|--:|--:|--:|--:|');
for (const row of rows) console.log(row);
if (profileDir) for (const name of ['es-standin', 'search']) console.log(`\n${name}, self time of busy samples (both sizes):\n${topSelfTime(name).join('\n')}`);
