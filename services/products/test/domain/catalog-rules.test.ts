import { describe, expect, it } from '@jest/globals';
import { createdProduct, planProductUpdate } from '../../src/domain/catalog-rules.js';

const then = new Date('2026-01-01T00:00:00Z');
const now = new Date('2026-01-02T00:00:00Z');
const fields = { sku: 's', name: 'Old', description: 'd', categoryId: 'c', price: { amountMinor: 100n, currencyCode: 'EUR' }, stock: 3 };
const current = createdProduct('p1', fields, then);

describe('creating a product', () => {
  it('starts at version 1 with both times set to now', () => {
    expect(current).toEqual({ id: 'p1', ...fields, version: 1, createTime: then, updateTime: then });
  });
});

describe('planning a product update', () => {
  it('applies the changed values one version up and names only the fields that changed', () => {
    const update = planProductUpdate(current, { name: 'New', price: { amountMinor: 100n, currencyCode: 'EUR' }, sku: 's2' }, undefined, now);
    expect(update?.changedFields).toEqual(['name', 'sku']);
    expect(update?.product).toEqual({ ...current, name: 'New', sku: 's2', version: 2, updateTime: now });
  });

  it('plans no write when every value is already as asked', () => {
    expect(planProductUpdate(current, { name: 'Old', price: { amountMinor: 100n, currencyCode: 'EUR' } }, 1, now)).toBeUndefined();
  });

  it('refuses a stale expected version with ABORTED and accepts the current one', () => {
    expect(() => planProductUpdate(current, { name: 'New' }, 7, now)).toThrow(expect.objectContaining({ code: 'ABORTED', message: 'product "p1" is at version 1, not 7' }));
    expect(planProductUpdate(current, { name: 'New' }, 1, now)?.product.version).toBe(2);
  });
});
