/**
 * The indexer's write path alone, as checkout drives it: the compiled ES stand-in in its own process (with basic
 * authentication, as the launcher runs it), the 200 demo products indexed, then --writes stock changes (each the next
 * version of a demo product) written through EsProductWriter in batches of --batch events, as the product event
 * handler writes them: 1 when events arrive paced (further apart than the linger), up to SEARCH_BATCH_MAX_EVENTS
 * (128) from a backlog. Prints the CPU milliseconds per event of the stand-in and of this process (the client side).
 * Run `npm run -s build` first.
 * Usage: ./scripts/node.sh --import tsx services/search/bench/indexing-path.ts [--writes 2000] [--batch 1,8,128]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { applyIndexMigrations } from '../src/storage/index-migration.js';
import { EsProductWriter } from '../src/storage/product-writer.js';
import { demoCatalogue } from '../test/shop-catalogue.js';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '2000' }, batch: { type: 'string', default: '1,8,128' } } });
const writes = Number(values.writes);
const batchSizes = values.batch.split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'indexing-path-'));
const password = 'indexing-path-bench-password';
writeFileSync(join(work, 'users.json'), JSON.stringify([{ username: 'search_svc', password, indices: ['products*'] }]));

const es = spawn(process.execPath, ['--enable-source-maps', 'infra/es-standin/dist/cli.js', '--port', '0', '--data-dir', join(work, 'es'), '--users-file', join(work, 'users.json')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const esUrl = await new Promise<string>((resolveUrl, reject) => {
  let output = '';
  es.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const found = /at (http:\/\/\S+),/.exec(output);
    if (found) resolveUrl(found[1]!);
  });
  es.once('exit', (code) => reject(new Error(`es-standin exited with ${code}: ${output}`)));
});
const cpuMillis = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const client = createElasticsearchClient(esUrl.replace('http://', `http://search_svc:${password}@`));
try {
  await applyIndexMigrations(client, 'products', indexMigrations, createLogger('indexing-path', 'silent'));
  const products = demoCatalogue();
  const writer = new EsProductWriter(client, 'products');
  for (const product of products) await writer.writeAll([product]);
  console.log('| events | events per _bulk | ES stand-in CPU ms/event | client (this process) CPU ms/event |');
  console.log('|--:|--:|--:|--:|');
  for (const [round, batchSize] of batchSizes.entries()) {
    const before = [cpuMillis(es.pid!), process.cpuUsage()] as const;
    for (let first = 0; first < writes; first += batchSize) {
      const batch = Array.from({ length: Math.min(batchSize, writes - first) }, (_, k) => {
        const n = round * writes + first + k;
        const product = products[n % products.length]!;
        return { ...product, version: BigInt(2 + Math.floor(n / products.length)), stock: (product.stock + n) % 7 };
      });
      await writer.writeAll(batch);
    }
    const esCpu = (cpuMillis(es.pid!) - before[0]) / writes;
    const used = process.cpuUsage(before[1]);
    console.log(`| ${writes} | ${batchSize} | ${esCpu.toFixed(2)} | ${((used.user + used.system) / 1000 / writes).toFixed(2)} |`);
  }
} finally {
  await client.close();
  es.kill('SIGTERM');
  await once(es, 'exit');
  rmSync(work, { recursive: true, force: true });
}
