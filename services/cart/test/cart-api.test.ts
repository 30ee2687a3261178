import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { uniqueName } from '@shop/testkit';
import { expectInvalidArgument, linesOf, startTestCartService, type TestCartService } from './cart-test-service.js';

const day = 24 * 60 * 60 * 1000;

describe('the cart API on real Redis', () => {
  let service: TestCartService;
  const user = () => uniqueName('user');

  beforeAll(async () => {
    service = await startTestCartService(uniqueName('cart_api').replace(/-/g, '_'));
  });
  afterAll(() => service.server.shutdown());

  it('returns an empty cart with no times for a user who never added anything', async () => {
    const userId = user();
    const { cart } = await service.client.getCart({ userId });
    expect(cart).toMatchObject({ userId, lines: [] });
    expect(cart?.updateTime).toBeUndefined();
    expect(cart?.expireTime).toBeUndefined();
  });

  it('adds to an existing line and keeps lines in first-added order', async () => {
    const userId = user();
    await service.client.addItem({ userId, productId: 'p-b', quantity: 2 });
    await service.client.addItem({ userId, productId: 'p-a', quantity: 1 });
    await service.client.addItem({ userId, productId: 'p-c', quantity: 5 });
    const added = await service.client.addItem({ userId, productId: 'p-b', quantity: 3 });
    expect(linesOf(added)).toEqual([['p-b', 5], ['p-a', 1], ['p-c', 5]]);
    expect(linesOf(await service.client.getCart({ userId }))).toEqual(linesOf(added));
  });

  it('reports an expire time 30 days after the last write', async () => {
    const { cart } = await service.client.addItem({ userId: user(), productId: 'p', quantity: 1 });
    const updated = timestampDate(cart!.updateTime!).getTime();
    const expires = timestampDate(cart!.expireTime!).getTime();
    expect(Math.abs(expires - updated - 30 * day)).toBeLessThan(60_000);
  });

  it('sets a line quantity, creates a missing line at the end, and removes a line at 0', async () => {
    const userId = user();
    await service.client.addItem({ userId, productId: 'p1', quantity: 1 });
    await service.client.addItem({ userId, productId: 'p2', quantity: 1 });
    expect(linesOf(await service.client.updateItemQuantity({ userId, productId: 'p1', quantity: 7 }))).toEqual([['p1', 7], ['p2', 1]]);
    expect(linesOf(await service.client.updateItemQuantity({ userId, productId: 'p3', quantity: 2 }))).toEqual([['p1', 7], ['p2', 1], ['p3', 2]]);
    expect(linesOf(await service.client.updateItemQuantity({ userId, productId: 'p1', quantity: 0 }))).toEqual([['p2', 1], ['p3', 2]]);
  });

  it('removes one line, and removing the last line leaves an empty cart with no times', async () => {
    const userId = user();
    await service.client.addItem({ userId, productId: 'p1', quantity: 1 });
    await service.client.addItem({ userId, productId: 'p2', quantity: 1 });
    expect(linesOf(await service.client.removeItem({ userId, productId: 'p1' }))).toEqual([['p2', 1]]);
    expect(linesOf(await service.client.removeItem({ userId, productId: 'absent' }))).toEqual([['p2', 1]]);
    const { cart } = await service.client.removeItem({ userId, productId: 'p2' });
    expect(cart?.lines).toEqual([]);
    expect(cart?.expireTime).toBeUndefined();
  });

  it('clears only the named lines, or every line when none are named', async () => {
    const userId = user();
    for (const productId of ['p1', 'p2', 'p3']) await service.client.addItem({ userId, productId, quantity: 1 });
    expect(linesOf(await service.client.clearCart({ userId, productIds: ['p1', 'p3'] }))).toEqual([['p2', 1]]);
    expect(linesOf(await service.client.clearCart({ userId, productIds: [] }))).toEqual([]);
    expect(linesOf(await service.client.getCart({ userId }))).toEqual([]);
  });

  it('rejects empty ids naming the field', async () => {
    const { client } = service;
    await expectInvalidArgument(client.getCart({ userId: '' }), 'user_id');
    await expectInvalidArgument(client.addItem({ userId: '', productId: 'p', quantity: 1 }), 'user_id');
    await expectInvalidArgument(client.addItem({ userId: user(), productId: '', quantity: 1 }), 'product_id');
    await expectInvalidArgument(client.updateItemQuantity({ userId: user(), productId: '', quantity: 1 }), 'product_id');
    await expectInvalidArgument(client.removeItem({ userId: user(), productId: '' }), 'product_id');
    await expectInvalidArgument(client.removeItem({ userId: '', productId: 'p' }), 'user_id');
    await expectInvalidArgument(client.clearCart({ userId: '', productIds: [] }), 'user_id');
    await expectInvalidArgument(client.clearCart({ userId: user(), productIds: ['p', ''] }), 'product_ids');
  });

  it('rejects quantities outside 1 to 99 (0 to 99 for an update) naming quantity', async () => {
    const userId = user();
    for (const quantity of [0, -1, 100]) await expectInvalidArgument(service.client.addItem({ userId, productId: 'p', quantity }), 'quantity');
    for (const quantity of [-1, 100]) await expectInvalidArgument(service.client.updateItemQuantity({ userId, productId: 'p', quantity }), 'quantity');
    expect(linesOf(await service.client.getCart({ userId }))).toEqual([]);
  });

  it('refuses an add that would take a line beyond 99 units and leaves the line unchanged', async () => {
    const userId = user();
    await service.client.addItem({ userId, productId: 'p', quantity: 90 });
    await expectInvalidArgument(service.client.addItem({ userId, productId: 'p', quantity: 10 }), 'quantity');
    expect(linesOf(await service.client.addItem({ userId, productId: 'p', quantity: 9 }))).toEqual([['p', 99]]);
  });

  it('refuses a 101st line naming product_id but still changes the existing 100 lines', async () => {
    const userId = user();
    const ids = Array.from({ length: 100 }, (_, i) => `p${i}`);
    await Promise.all(ids.map((productId) => service.client.addItem({ userId, productId, quantity: 1 })));
    await expectInvalidArgument(service.client.addItem({ userId, productId: 'p100', quantity: 1 }), 'product_id');
    await expectInvalidArgument(service.client.updateItemQuantity({ userId, productId: 'p100', quantity: 1 }), 'product_id');
    const { cart } = await service.client.addItem({ userId, productId: 'p0', quantity: 1 });
    expect(cart?.lines).toHaveLength(100);
    expect(cart?.lines.find((line) => line.productId === 'p0')?.quantity).toBe(2);
  });

  it('loses nothing under 100 concurrent adds to one line: 99 succeed, the one beyond 99 units is refused', async () => {
    const userId = user();
    const calls = Array.from({ length: 100 }, () => service.client.addItem({ userId, productId: 'p', quantity: 1 }));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(99);
    const [refused] = outcomes.filter((outcome) => outcome.status === 'rejected');
    await expectInvalidArgument(Promise.reject((refused as PromiseRejectedResult).reason), 'quantity');
    expect(linesOf(await service.client.getCart({ userId }))).toEqual([['p', 99]]);
  });

  it('loses nothing under 100 concurrent adds of different products, keeping one line each', async () => {
    const userId = user();
    const ids = Array.from({ length: 100 }, (_, i) => `p${i}`);
    await Promise.all([...ids, ...ids].map((productId) => service.client.addItem({ userId, productId, quantity: 1 })));
    const { cart } = await service.client.getCart({ userId });
    expect(cart?.lines.map((line) => line.productId).sort()).toEqual([...ids].sort());
    expect(cart?.lines.every((line) => line.quantity === 2)).toBe(true);
  });
});
