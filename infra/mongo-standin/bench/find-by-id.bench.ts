/**
 * p50/p99 of findOne by _id and of an indexed equality find at 1,000, 10,000 and 100,000 documents, through the official
 * driver, side by side in one run; a hinted full scan ($natural) shows what the indexes save.
 * Run: node --import tsx infra/mongo-standin/bench/find-by-id.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { startMongoStandin } from '../src/index.js';

const SIZES = [1_000, 10_000, 100_000];
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const SCAN_SAMPLES = 50;
const BATCH = 5_000;

interface Item extends Document {
  _id: number;
  sku: string;
  category: string;
  price: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function measure(samples: number, operation: (at: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let at = 0; at < 50; at += 1) await operation(at);
  const times: number[] = [];
  for (let at = 0; at < samples; at += 1) {
    const started = performance.now();
    await operation(at);
    times.push((performance.now() - started) * 1000);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function fill(items: Collection<Item>, size: number): Promise<void> {
  await items.createIndex({ sku: 1 }, { unique: true });
  for (let from = 0; from < size; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, size - from) }, (_, offset) => {
      const id = from + offset;
      return { _id: id, sku: `sku-${id}`, category: `category-${id % 50}`, price: id % 1000, description: 'x'.repeat(100) };
    });
    await items.insertMany(batch, { ordered: false });
  }
}

const randomId = (size: number, at: number): number => (at * 7919) % size;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mongo-standin-bench-'));
  const standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
  const client = await new MongoClient(standin.url, { maxPoolSize: 1 }).connect();
  const rows: string[][] = [];
  try {
    for (const size of SIZES) {
      const items = client.db('bench').collection<Item>(`items_${size}`);
      await fill(items, size);
      const byId = await measure(SAMPLES, (at) => items.findOne({ _id: randomId(size, at) }));
      const bySku = await measure(SAMPLES, (at) => items.find({ sku: `sku-${randomId(size, at)}` }).toArray());
      const scan = await measure(SCAN_SAMPLES, (at) => items.find({ _id: randomId(size, at) }).hint({ $natural: 1 }).toArray());
      rows.push([size.toLocaleString('en'), byId.p50.toFixed(0), byId.p99.toFixed(0), bySku.p50.toFixed(0), bySku.p99.toFixed(0), scan.p50.toFixed(0)]);
    }
  } finally {
    await client.close();
    await standin.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const header = ['documents', 'findOne _id p50 µs', 'p99 µs', 'find {sku} (unique index) p50 µs', 'p99 µs', 'full scan ($natural hint) p50 µs'];
  const lines = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`);
  const first = Number(rows[0]?.[1]);
  const last = Number(rows[rows.length - 1]?.[1]);
  process.stdout.write(`${lines.join('\n')}\n\nfindOne by _id p50 at ${SIZES.at(-1)?.toLocaleString('en')} / at ${SIZES[0]?.toLocaleString('en')}: ${(last / first).toFixed(2)}x (${SAMPLES} samples each, one connection, node ${process.version})\n`);
}

await main();
