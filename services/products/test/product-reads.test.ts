import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code } from '@connectrpc/connect';
import { expectConnectError } from '@shop/testkit';
import { newProduct, startProducts, type RunningProducts } from './harness.js';

let products: RunningProducts;

beforeAll(async () => {
  products = await startProducts();
});
afterAll(() => products.stop());

describe('reading single products while many reads are in flight', () => {
  it('answers each of 300 concurrent GetProduct calls with its own product, and NOT_FOUND for unknown ids among them', async () => {
    const created = await Promise.all(Array.from({ length: 30 }, (_, index) => products.client.createProduct(newProduct({ name: `Concurrent ${index}`, stock: index }))));
    const ids = created.map(({ product }) => product!.id);
    const calls = Array.from({ length: 300 }, (_, index) => (index % 10 === 9 ? `missing-${index}` : ids[index % ids.length]!));
    const answers = await Promise.allSettled(calls.map((id) => products.client.getProduct({ id })));
    answers.forEach((answer, index) => {
      const id = calls[index]!;
      if (id.startsWith('missing-')) {
        expect(answer.status).toBe('rejected');
      } else {
        expect(answer.status).toBe('fulfilled');
        const { product } = (answer as PromiseFulfilledResult<Awaited<ReturnType<typeof products.client.getProduct>>>).value;
        expect(product).toEqual(created[ids.indexOf(id)]!.product);
      }
    });
    await expectConnectError(products.client.getProduct({ id: 'missing-9' }), Code.NotFound);
  });

  it('shows every stock change to the reads asked for after it, however many reads are in flight', async () => {
    const { product } = await products.client.createProduct(newProduct({ stock: 100 }));
    const id = product!.id;
    const background = Array.from({ length: 200 }, () => products.client.getProduct({ id }));
    for (let round = 1; round <= 5; round += 1) {
      const adjusted = await products.client.adjustStock({ productId: id, delta: -1, reason: 'sold' });
      const reads = await Promise.all(Array.from({ length: 20 }, () => products.client.getProduct({ id })));
      for (const read of reads) expect(read.product?.stock).toBe(adjusted.product!.stock);
      expect(adjusted.product!.stock).toBe(100 - round);
    }
    await Promise.all(background);
  });

  it('answers concurrent BatchGetProducts calls, sharing queries with GetProduct, with exactly their own known products and missing ids', async () => {
    const created = await Promise.all(Array.from({ length: 12 }, (_, index) => products.client.createProduct(newProduct({ name: `Batched ${index}`, stock: index }))));
    const ids = created.map(({ product }) => product!.id);
    const byId = new Map(created.map(({ product }) => [product!.id, product!]));
    const requests = Array.from({ length: 40 }, (_, index) => [ids[index % ids.length]!, ids[(index * 5) % ids.length]!, `missing-${index}`, ids[index % ids.length]!]);
    const singles = Array.from({ length: 60 }, (_, index) => products.client.getProduct({ id: ids[index % ids.length]! }));
    const answers = await Promise.all(requests.map((request) => products.client.batchGetProducts({ ids: request })));
    answers.forEach((answer, index) => {
      const request = requests[index]!;
      expect(answer.products.map((product) => product.id)).toEqual(request.filter((id) => byId.has(id)));
      for (const product of answer.products) expect(product).toEqual(byId.get(product.id));
      expect(answer.missingIds).toEqual([`missing-${index}`]);
    });
    for (const single of await Promise.all(singles)) expect(byId.get(single.product!.id)).toEqual(single.product);
  });
});
