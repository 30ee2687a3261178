/**
 * The indexer's write path alone, as checkout drives it: the compiled ES stand-in in its own process (with basic
 * authentication, as the launcher runs it), the 200 demo products indexed, then --writes stock changes (each the next
 * version of a demo product) written one after another through EsProductWriter, as the product event handler writes
 * them. Prints the CPU milliseconds per write of the stand-in and of this process (the client side). Run
 * `npm run -s build` first.
 * Usage: ./scripts/node.sh --import tsx services/search/bench/indexing-path.ts [--writes 2000] [--writer <module>]
 * (--writer: another build of storage/product-writer.ts exporting EsProductWriter, to compare against)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import type { ProductWriter } from '../src/domain/indexed-product.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { applyIndexMigrations } from '../src/storage/index-migration.js';
import { demoCatalogue } from '../test/shop-catalogue.js';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '2000' }, writer: { type: 'string' } } });
const writes = Number(values.writes);
const writerModule = values.writer ? pathToFileURL(resolve(values.writer)).href : '../src/storage/product-writer.js';
const { EsProductWriter } = (await import(writerModule)) as { EsProductWriter: new (es: unknown, alias: string) => ProductWriter };
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
  for (const product of products) await writer.write(product);
  const before = [cpuMillis(es.pid!), process.cpuUsage()] as const;
  for (let n = 0; n < writes; n += 1) {
    const product = products[n % products.length]!;
    await writer.write({ ...product, version: BigInt(2 + Math.floor(n / products.length)), stock: (product.stock + n) % 7 });
  }
  const esCpu = (cpuMillis(es.pid!) - before[0]) / writes;
  const used = process.cpuUsage(before[1]);
  console.log('| writes | ES stand-in CPU ms/write | client (this process) CPU ms/write |');
  console.log('|--:|--:|--:|');
  console.log(`| ${writes} | ${esCpu.toFixed(2)} | ${((used.user + used.system) / 1000 / writes).toFixed(2)} |`);
} finally {
  await client.close();
  es.kill('SIGTERM');
  await once(es, 'exit');
  rmSync(work, { recursive: true, force: true });
}
