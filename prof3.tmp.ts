import { Cluster } from './infra/es-standin/src/store/cluster.ts';
import { executeSearch } from './infra/es-standin/src/search/execute.ts';
import { parseSearchRequest } from './infra/es-standin/src/search/search-request.ts';
import { mkdtempSync } from 'node:fs';
const cluster = await Cluster.open(mkdtempSync('/tmp/p2-'));
const idx = cluster.createIndex('b', { mappings: { properties: { product_id: { type: 'keyword' }, name: { type: 'text', analyzer: 'english' }, description: { type: 'text', analyzer: 'english' }, category_id: { type: 'keyword' }, price_minor: { type: 'long' }, in_stock: { type: 'boolean' }, deleted: { type: 'boolean' } } } } as never);
const words = 'light warm durable soft classic modern sturdy handmade everyday travel outdoor comfortable breathable waterproof compact elegant simple premium casual rugged'.split(' ');
function series(p: number) { const l = 'bcdfghjklmnpqrstvwxz'; let w = ''; for (let r = p + 400; r > 0; r = Math.floor(r / 20)) w += l[r % 20] + 'aeiou'[r % 5]; return w; }
const N = Number(process.argv[2] ?? 10000);
for (let i = 0; i < N; i++) idx.index('p' + i, { product_id: 'p' + String(i).padStart(6, '0'), name: `red oak chair ${series(Math.floor(i / 50))}`, description: Array.from({ length: 12 }, (_, k) => words[(i * 7 + k * 3) % 20]).join(' '), category_id: 'c' + (i % 20), price_minor: i * 5, in_stock: i % 3 > 0, deleted: false });
const full: any = { query: { bool: { must: [{ multi_match: { query: series(N / 100), fields: ['name^3', 'description'], fuzziness: 'AUTO' } }], filter: [], must_not: [{ term: { deleted: true } }] } }, sort: [{ _score: { order: 'desc' } }, { product_id: { order: 'asc' } }], size: 21, track_total_hits: true, highlight: { pre_tags: ['<em>'], post_tags: ['</em>'], fields: { name: {}, description: {} } }, aggs: { categories: { terms: { field: 'category_id', size: 100 } }, price_ranges: { range: { field: 'price_minor', ranges: [{ key: 'low', to: 10000 }, { key: 'mid', from: 10000, to: 30000 }, { key: 'high', from: 30000 }] } } } };
function time(label: string, body: any) {
  for (let i = 0; i < 50; i++) executeSearch(cluster, 'b', parseSearchRequest(body, new URLSearchParams()));
  const t0 = performance.now();
  let r: any;
  for (let i = 0; i < 200; i++) r = executeSearch(cluster, 'b', parseSearchRequest(body, new URLSearchParams()));
  console.log(label, ((performance.now() - t0) / 200).toFixed(3), r.hits.total.value);
}
time('full', full);
const { highlight, ...noHl } = full; time('no highlight', noHl);
const { aggs, ...noAggs } = noHl; time('no aggs', noAggs);
time('no fuzzy', { ...noAggs, query: { bool: { must: [{ multi_match: { query: series(N / 100), fields: ['name^3', 'description'] } }], must_not: [{ term: { deleted: true } }] } } });
time('no must_not', { ...noAggs, query: { multi_match: { query: series(N / 100), fields: ['name^3', 'description'], fuzziness: 'AUTO' } } });
