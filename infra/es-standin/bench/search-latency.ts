/**
 * Search latency of the ES stand-in at 1,000 and 10,000 documents, through the official client, side by side.
 * Run: node --import tsx infra/es-standin/bench/search-latency.ts
 * The stand-in runs in this process (as the test setup starts it) over a temporary data folder; pass --own-process to
 * run it as its own process through its CLI instead (on a loaded machine that adds scheduling delay to every call).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type estypes } from '@elastic/elasticsearch';
import { startEsStandin } from '../src/index.js';
import { benchMappings, benchProduct, seededRandom, seriesSize, seriesWord } from './products.js';

const sizes = [1_000, 10_000];
const warmups = 100;
const rounds = 300;

async function startChildStandin(dataDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/es-standin/src/cli.ts', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /at (http:\/\/\S+),/.exec(output);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}: ${output}`)));
  });
  const close = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return { url, close };
}

async function startStandin(dataDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  if (process.argv.includes('--own-process')) return startChildStandin(dataDir);
  const standin = await startEsStandin({ port: 0, dataDir, log: () => undefined });
  return { url: standin.url, close: () => standin.close() };
}

async function load(client: Client, index: string, count: number): Promise<void> {
  await client.indices.create({ index, mappings: benchMappings });
  const random = seededRandom(count);
  for (let start = 0; start < count; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, count - start) }, (_, offset) => benchProduct(start + offset, random));
    await client.bulk({ operations: batch.flatMap((document) => [{ index: { _index: index, _id: document.product_id } }, document]) });
  }
  await client.indices.refresh({ index });
}

type Body = Omit<estypes.SearchRequest, 'index'>;

/** The search service's product search, as services/search/src/storage/search-query.ts builds it. */
function serviceSearch(text: string): Body {
  return {
    query: { bool: { must: [{ multi_match: { query: text, fields: ['name^3', 'description'], fuzziness: 'AUTO' } }], filter: [], must_not: [{ term: { deleted: true } }] } },
    sort: [{ _score: { order: 'desc' } }, { product_id: { order: 'asc' } }],
    size: 21,
    track_total_hits: true,
    highlight: { pre_tags: ['<em>'], post_tags: ['</em>'], fields: { name: {}, description: {} } },
    aggs: {
      categories: { terms: { field: 'category_id', size: 100 } },
      price_ranges: { range: { field: 'price_minor', ranges: [{ key: 'low', to: 10_000 }, { key: 'mid', from: 10_000, to: 30_000 }, { key: 'high', from: 30_000 }] } },
    },
  };
}

function filteredFacet(text: string): Body {
  return {
    query: { bool: { must: [{ multi_match: { query: text, fields: ['name^3', 'description'] } }], filter: [{ term: { in_stock: true } }] } },
    size: 10,
    aggs: { categories: { terms: { field: 'category_id', size: 20 } } },
  };
}

const cases: { name: string; body: (size: number) => Body }[] = [
  { name: 'service search (fuzzy), rare series word', body: (size) => serviceSearch(seriesWord(Math.floor(size / seriesSize / 2))) },
  { name: 'multi_match + filter + terms agg, rare series word', body: (size) => filteredFacet(seriesWord(Math.floor(size / seriesSize / 3))) },
  { name: 'multi_match + filter + terms agg, common term (5% match)', body: () => filteredFacet('boot') },
  { name: 'term filter only (category, 5% match), size 10', body: () => ({ query: { bool: { filter: [{ term: { category_id: 'category-3' } }] } }, size: 10 }) },
];

interface Measured {
  p50: number;
  p95: number;
  cpuP50: number;
  hits: number;
}

/** One search: wall time, and CPU time of this process (client and in-process server), which machine load does not inflate. */
async function timedSearch(client: Client, index: string, body: Body): Promise<{ millis: number; cpuMillis: number; hits: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const reply = await client.search({ index, ...body, track_total_hits: true });
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const hits = typeof reply.hits.total === 'number' ? reply.hits.total : (reply.hits.total?.value ?? 0);
  return { millis, cpuMillis: (used.user + used.system) / 1000, hits };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Latency of one case at every size, rounds interleaved across sizes so machine load falls on all of them alike. */
async function measure(client: Client, indices: string[], bodies: Body[]): Promise<Measured[]> {
  for (let round = 0; round < warmups; round += 1) for (const [position, index] of indices.entries()) await timedSearch(client, index, bodies[position]!);
  const timings = indices.map(() => [] as number[]);
  const cpuTimings = indices.map(() => [] as number[]);
  const hits = indices.map(() => 0);
  for (let round = 0; round < rounds; round += 1) {
    for (const [position, index] of indices.entries()) {
      const result = await timedSearch(client, index, bodies[position]!);
      timings[position]!.push(result.millis);
      cpuTimings[position]!.push(result.cpuMillis);
      hits[position] = result.hits;
    }
  }
  return timings.map((list, position) => {
    list.sort((a, b) => a - b);
    return { p50: list[Math.floor(rounds / 2)]!, p95: list[Math.floor(rounds * 0.95)]!, cpuP50: median(cpuTimings[position]!), hits: hits[position]! };
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'es-standin-bench-'));
const { url, close } = await startStandin(dataDir);
const client = new Client({ node: url });
try {
  const indices = sizes.map((size) => `bench-${size}`);
  for (const [position, size] of sizes.entries()) await load(client, indices[position]!, size);
  const sizeNames = sizes.map((size) => size.toLocaleString('en'));
  console.log(`| case | ${sizeNames.map((size) => `wall p50 at ${size} (hits)`).join(' | ')} | wall p95 at ${sizeNames.at(-1)} | wall ratio | ${sizeNames.map((size) => `CPU p50 at ${size}`).join(' | ')} | CPU ratio |`);
  console.log(`|---|${sizes.map(() => '---').join('|')}|---|---|${sizes.map(() => '---').join('|')}|---|`);
  for (const benchCase of cases) {
    const results = await measure(client, indices, sizes.map((size) => benchCase.body(size)));
    const cells = results.map((result) => `${result.p50.toFixed(2)} ms (${result.hits})`);
    const ratio = results.at(-1)!.p50 / results[0]!.p50;
    const cpuCells = results.map((result) => `${result.cpuP50.toFixed(2)} ms`);
    const cpuRatio = results.at(-1)!.cpuP50 / results[0]!.cpuP50;
    console.log(`| ${benchCase.name} | ${cells.join(' | ')} | ${results.at(-1)!.p95.toFixed(2)} ms | ${ratio.toFixed(2)}x | ${cpuCells.join(' | ')} | ${cpuRatio.toFixed(2)}x |`);
  }
} finally {
  await client.close();
  await close();
  rmSync(dataDir, { recursive: true, force: true });
}
