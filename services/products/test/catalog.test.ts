import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code } from '@connectrpc/connect';
import { expectConnectError } from '@shop/testkit';
import { fieldOf, newProduct, startProducts, type RunningProducts } from './harness.js';

let products: RunningProducts;

beforeAll(async () => {
  products = await startProducts();
});
afterAll(() => products.stop());


describe('creating and reading products', () => {
  it('creates a product at version 1 and reads it back', async () => {
    const { product } = await products.client.createProduct(newProduct({ sku: 'create-read-1', stock: 7 }));
    expect(product).toMatchObject({ sku: 'create-read-1', name: 'Trail shoe', categoryId: 'shoes', stock: 7, version: 1n });
    expect(product?.price).toMatchObject({ amountMinor: 4999n, currencyCode: 'EUR' });
    const read = await products.client.getProduct({ id: product!.id });
    expect(read.product).toEqual(product);
  });

  it('refuses a second product with the same SKU with ALREADY_EXISTS', async () => {
    await products.client.createProduct(newProduct({ sku: 'dup-sku' }));
    expect(fieldOf(await expectConnectError(products.client.createProduct(newProduct({ sku: 'dup-sku' })), Code.AlreadyExists))).toBe('sku');
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ sku: '' }, 'sku'],
    [{ sku: 'x'.repeat(65) }, 'sku'],
    [{ price: { amountMinor: -1n, currencyCode: 'EUR' } }, 'price.amount_minor'],
    [{ price: { amountMinor: 1n, currencyCode: 'eur' } }, 'price.currency_code'],
    [{ price: undefined }, 'price'],
    [{ categoryId: 'Shoes!' }, 'category_id'],
    [{ stock: -1 }, 'stock'],
  ])('refuses bad input %j with INVALID_ARGUMENT naming %s', async (overrides, field) => {
    expect(fieldOf(await expectConnectError(products.client.createProduct(newProduct(overrides)), Code.InvalidArgument))).toBe(field);
  });

  it('answers NOT_FOUND for an unknown id and INVALID_ARGUMENT for an empty one', async () => {
    await expectConnectError(products.client.getProduct({ id: 'no-such-product' }), Code.NotFound);
    expect(fieldOf(await expectConnectError(products.client.getProduct({ id: '' }), Code.InvalidArgument))).toBe('id');
  });
});

describe('batch reads', () => {
  it('returns products in request order and lists the missing ids', async () => {
    const a = (await products.client.createProduct(newProduct())).product!;
    const b = (await products.client.createProduct(newProduct())).product!;
    const answer = await products.client.batchGetProducts({ ids: [b.id, 'missing-1', a.id, 'missing-2'] });
    expect(answer.products.map((product) => product.id)).toEqual([b.id, a.id]);
    expect(answer.missingIds).toEqual(['missing-1', 'missing-2']);
  });

  it('reads 1000 ids in one call and refuses 1001', async () => {
    const ids = Array.from({ length: 1000 }, (_, index) => `absent-${index}`);
    const answer = await products.client.batchGetProducts({ ids });
    expect(answer.missingIds).toHaveLength(1000);
    expect(fieldOf(await expectConnectError(products.client.batchGetProducts({ ids: [...ids, 'one-more'] }), Code.InvalidArgument))).toBe('ids');
    expect(fieldOf(await expectConnectError(products.client.batchGetProducts({ ids: ['ok', ''] }), Code.InvalidArgument))).toBe('ids[1]');
    await expect(products.client.batchGetProducts({ ids: [] })).resolves.toMatchObject({ products: [], missingIds: [] });
  });
});

describe('listing', () => {
  it('pages through one category by id with an opaque token and no repeats', async () => {
    const created = [];
    for (let index = 0; index < 5; index += 1) created.push((await products.client.createProduct(newProduct({ categoryId: 'paging' }))).product!.id);
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await products.client.listProducts({ categoryId: 'paging', pageSize: 2, pageToken });
      expect(page.products.length).toBeLessThanOrEqual(2);
      seen.push(...page.products.map((product) => product.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual([...created].sort());
  });

  it('refuses a malformed page token and a bad category filter', async () => {
    expect(fieldOf(await expectConnectError(products.client.listProducts({ pageToken: 'garbage' }), Code.InvalidArgument))).toBe('page_token');
    expect(fieldOf(await expectConnectError(products.client.listProducts({ categoryId: 'BAD' }), Code.InvalidArgument))).toBe('category_id');
    expect(fieldOf(await expectConnectError(products.client.listProducts({ pageSize: -1 }), Code.InvalidArgument))).toBe('page_size');
  });

  it('counts products per category', async () => {
    await products.client.createProduct(newProduct({ categoryId: 'hats' }));
    await products.client.createProduct(newProduct({ categoryId: 'hats' }));
    await products.client.createProduct(newProduct({ categoryId: 'gloves' }));
    const { categories } = await products.client.listCategories({});
    const ids = categories.map((category) => category.id);
    expect(ids).toEqual([...ids].sort());
    expect(categories.find((category) => category.id === 'hats')?.productCount).toBe(2);
    expect(categories.find((category) => category.id === 'gloves')?.productCount).toBe(1);
  });
});

describe('updating', () => {
  it('changes only the masked fields and raises the version', async () => {
    const created = (await products.client.createProduct(newProduct({ name: 'Old name' }))).product!;
    const { product } = await products.client.updateProduct({
      product: { id: created.id, name: 'New name', description: 'ignored', price: { amountMinor: 100n, currencyCode: 'USD' } },
      updateMask: { paths: ['name', 'price'] },
    });
    expect(product).toMatchObject({ name: 'New name', description: created.description, version: 2n });
    expect(product?.price).toMatchObject({ amountMinor: 100n, currencyCode: 'USD' });
  });

  it('refuses an unknown mask path with INVALID_ARGUMENT naming update_mask', async () => {
    const created = (await products.client.createProduct(newProduct())).product!;
    expect(fieldOf(await expectConnectError(products.client.updateProduct({ product: { id: created.id, stock: 99 }, updateMask: { paths: ['stock'] } }), Code.InvalidArgument))).toBe('update_mask');
    expect(fieldOf(await expectConnectError(products.client.updateProduct({ product: { id: created.id } }), Code.InvalidArgument))).toBe('update_mask');
  });

  it('refuses a stale expected_version with ABORTED and accepts the current one', async () => {
    const created = (await products.client.createProduct(newProduct())).product!;
    const rename = (name: string, expectedVersion: bigint) =>
      products.client.updateProduct({ product: { id: created.id, name }, updateMask: { paths: ['name'] }, expectedVersion });
    await expect(rename('First', 1n)).resolves.toMatchObject({ product: { version: 2n } });
    await expectConnectError(rename('Second', 1n), Code.Aborted);
    expect((await products.client.getProduct({ id: created.id })).product?.name).toBe('First');
  });

  it('refuses a SKU taken by another product with ALREADY_EXISTS', async () => {
    const taken = (await products.client.createProduct(newProduct())).product!;
    const other = (await products.client.createProduct(newProduct())).product!;
    expect(fieldOf(await expectConnectError(products.client.updateProduct({ product: { id: other.id, sku: taken.sku }, updateMask: { paths: ['sku'] } }), Code.AlreadyExists))).toBe('sku');
  });

  it('refuses invalid values and unknown products', async () => {
    const created = (await products.client.createProduct(newProduct())).product!;
    expect(fieldOf(await expectConnectError(products.client.updateProduct({ product: { id: created.id, name: '' }, updateMask: { paths: ['name'] } }), Code.InvalidArgument))).toBe('product.name');
    await expectConnectError(products.client.updateProduct({ product: { id: 'nope', name: 'x' }, updateMask: { paths: ['name'] } }), Code.NotFound);
  });
});

describe('deleting', () => {
  it('deletes a product once and frees its SKU', async () => {
    const created = (await products.client.createProduct(newProduct({ sku: 'reusable-sku' }))).product!;
    await products.client.deleteProduct({ id: created.id });
    await expectConnectError(products.client.getProduct({ id: created.id }), Code.NotFound);
    await expectConnectError(products.client.deleteProduct({ id: created.id }), Code.NotFound);
    expect(fieldOf(await expectConnectError(products.client.deleteProduct({ id: '' }), Code.InvalidArgument))).toBe('id');
    await expect(products.client.createProduct(newProduct({ sku: 'reusable-sku' }))).resolves.toBeDefined();
  });
});
