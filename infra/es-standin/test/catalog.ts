import { afterAll, beforeAll } from '@jest/globals';
import type { Client } from '@elastic/elasticsearch';
import { openTestServer, uniqueIndexName, type TestServer } from './harness.js';

/** A small fixed product corpus shared by the search suites. */
export const products = [
  { id: '1', name: 'Trail running shoe', description: 'Light shoe for muddy trails', brand: 'Stride', category: 'shoes', price: 120, stock: 5, rating: 4.5, active: true, released: '2024-03-01' },
  { id: '2', name: 'Leather boot', description: 'Warm boot, pairs well with running socks', brand: 'Hearth', category: 'boots', price: 180, stock: 0, rating: 4.1, active: true, released: '2023-10-15' },
  { id: '3', name: 'Running socks', description: 'Breathable socks for long runs', brand: 'Stride', category: 'accessories', price: 15, stock: 50, rating: 3.9, active: true, released: '2024-01-20' },
  { id: '4', name: 'Canvas shoe', description: 'Casual everyday shoe', brand: 'Plain', category: 'shoes', price: 45, stock: 12, rating: 3.5, active: false, released: '2022-06-30' },
  { id: '5', name: 'Road running shoe with extra cushioning for marathon training', description: 'Cushioned shoe', brand: 'Stride', category: 'shoes', price: 150, stock: 3, rating: 4.8, active: true, released: '2024-05-05' },
  { id: '6', name: 'Rain jacket', description: 'Waterproof jacket for trail walks', brand: 'Hearth', category: 'clothing', price: 90, stock: 7, rating: 4.0, active: true, released: '2023-04-12' },
];

/** The catalog mapping: English-analysed text with keyword sub-fields, numbers, booleans and dates. */
export const catalogMappings = {
  properties: {
    name: { type: 'text' as const, analyzer: 'english', fields: { keyword: { type: 'keyword' as const } } },
    description: { type: 'text' as const, analyzer: 'english' },
    brand: { type: 'keyword' as const },
    category: { type: 'keyword' as const },
    price: { type: 'scaled_float' as const, scaling_factor: 100 },
    stock: { type: 'integer' as const },
    rating: { type: 'float' as const },
    active: { type: 'boolean' as const },
    released: { type: 'date' as const },
  },
};

/** Creates an index holding the catalog, refreshed and ready to search. */
export async function createCatalog(client: Client, index: string): Promise<void> {
  await client.indices.create({ index, mappings: catalogMappings });
  await client.bulk({
    refresh: true,
    operations: products.flatMap(({ id, ...document }) => [{ index: { _index: index, _id: id } }, document]),
  });
}

/** Before the file's tests, opens a test server with the catalog in a fresh index named from prefix and hands both to onOpen; stops the server after them. */
export function withCatalogServer(prefix: string, onOpen: (opened: { server: TestServer; index: string }) => void): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await openTestServer();
    const index = uniqueIndexName(prefix);
    await createCatalog(server.client, index);
    onOpen({ server, index });
  });
  afterAll(async () => {
    await server?.stop();
  });
}

