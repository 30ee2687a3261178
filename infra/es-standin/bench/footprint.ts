/**
 * Memory per document and start-up (reload) time of the ES stand-in at 10,000 product documents.
 * Run: node --expose-gc --import tsx infra/es-standin/bench/footprint.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../src/store/cluster.js';
import { benchProduct, benchMappings, seededRandom } from './products.js';

const count = 10_000;
const collect = () => (globalThis as { gc?: () => void }).gc?.();
const dataDir = mkdtempSync(join(tmpdir(), 'es-standin-footprint-'));
try {
  collect();
  const before = process.memoryUsage().heapUsed;
  const cluster = await Cluster.open(dataDir);
  const index = cluster.createIndex('footprint', { mappings: benchMappings });
  const random = seededRandom(count);
  for (let position = 0; position < count; position += 1) {
    const product = benchProduct(position, random);
    index.index(product.product_id, product);
  }
  await cluster.commit();
  collect();
  const perDocument = (process.memoryUsage().heapUsed - before) / count;
  await cluster.close();
  const started = process.hrtime.bigint();
  const reopened = await Cluster.open(dataDir);
  const reloadMillis = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`| documents | heap per document | reload (snapshot + journal, re-analysis, inverted index) |`);
  console.log(`|---|---|---|`);
  console.log(`| ${count.toLocaleString('en')} | ${(perDocument / 1024).toFixed(1)} KiB | ${(reloadMillis / 1000).toFixed(2)} s |`);
  await reopened.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
