import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code } from '@connectrpc/connect';
import { ReservationStatus } from '@shop/gen/product/v1/product_pb';
import { expectConnectError, uniqueName } from '@shop/testkit';
import { fieldOf, newProduct, startProducts, type RunningProducts } from './harness.js';

let products: RunningProducts;

beforeAll(async () => {
  products = await startProducts();
});
afterAll(() => products.stop());

async function productWithStock(stock: number): Promise<string> {
  return (await products.client.createProduct(newProduct({ stock }))).product!.id;
}

async function stockOf(id: string): Promise<number> {
  return (await products.client.getProduct({ id })).product!.stock;
}


describe('reserving stock', () => {
  // 200 reservations queue on one product's lock, one transaction each: minutes on a loaded machine, never a wrong count.
  it('gives exactly 20 of 200 concurrent one-unit reservations on a stock of 20', async () => {
    const id = await productWithStock(20);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => products.client.reserveStock({ reservationId: `race-${id}-${index}`, items: [{ productId: id, quantity: 1 }] })),
    );
    const statuses = answers.map((answer) => answer.reservation?.status);
    expect(statuses.filter((status) => status === ReservationStatus.RESERVED)).toHaveLength(20);
    expect(statuses.filter((status) => status === ReservationStatus.REJECTED)).toHaveLength(180);
    expect(await stockOf(id)).toBe(0);
  }, 240_000);

  it('answers a retried reservation with its first answer and reserves once', async () => {
    const id = await productWithStock(5);
    const request = { reservationId: uniqueName('order'), items: [{ productId: id, quantity: 2 }] };
    const first = await products.client.reserveStock(request);
    const retries = await Promise.all([products.client.reserveStock(request), products.client.reserveStock(request)]);
    expect(first.reservation?.status).toBe(ReservationStatus.RESERVED);
    for (const retry of retries) expect(retry.reservation).toEqual(first.reservation);
    expect(await stockOf(id)).toBe(3);
  });

  it('answers retries arriving among new reservations with their first answers and takes each stock once', async () => {
    const id = await productWithStock(10);
    const reserved = { reservationId: uniqueName('order'), items: [{ productId: id, quantity: 2 }] };
    const rejected = { reservationId: uniqueName('order'), items: [{ productId: id, quantity: 50 }] };
    const firsts = [(await products.client.reserveStock(reserved)).reservation, (await products.client.reserveStock(rejected)).reservation];
    const fresh = Array.from({ length: 6 }, () => ({ reservationId: uniqueName('order'), items: [{ productId: id, quantity: 1 }] }));
    const answers = await Promise.all([reserved, ...fresh, rejected].map((request) => products.client.reserveStock(request)));
    expect([answers[0]!.reservation, answers.at(-1)!.reservation]).toEqual(firsts);
    expect(firsts.map((reservation) => reservation?.status)).toEqual([ReservationStatus.RESERVED, ReservationStatus.REJECTED]);
    expect(answers.slice(1, -1).map((answer) => answer.reservation?.status)).toEqual(fresh.map(() => ReservationStatus.RESERVED));
    expect(await stockOf(id)).toBe(2);
  });

  it('reserves once when the same new reservation arrives concurrently', async () => {
    const id = await productWithStock(10);
    const request = { reservationId: uniqueName('order'), items: [{ productId: id, quantity: 3 }] };
    const answers = await Promise.all(Array.from({ length: 5 }, () => products.client.reserveStock(request)));
    expect(new Set(answers.map((answer) => answer.reservation?.status))).toEqual(new Set([ReservationStatus.RESERVED]));
    expect(await stockOf(id)).toBe(7);
  });

  it('rejects a reservation with one short item and leaves every stock unchanged', async () => {
    const plenty = await productWithStock(10);
    const scarce = await productWithStock(1);
    const { reservation } = await products.client.reserveStock({
      reservationId: uniqueName('order'),
      items: [
        { productId: plenty, quantity: 4 },
        { productId: scarce, quantity: 2 },
        { productId: 'unknown-product', quantity: 1 },
      ],
    });
    expect(reservation?.status).toBe(ReservationStatus.REJECTED);
    expect(reservation?.shortProductIds).toEqual([scarce, 'unknown-product']);
    expect(await stockOf(plenty)).toBe(10);
    expect(await stockOf(scarce)).toBe(1);
  });

  it('reserves several products at once', async () => {
    const a = await productWithStock(3);
    const b = await productWithStock(3);
    const { reservation } = await products.client.reserveStock({
      reservationId: uniqueName('order'),
      items: [
        { productId: a, quantity: 3 },
        { productId: b, quantity: 1 },
      ],
    });
    expect(reservation?.status).toBe(ReservationStatus.RESERVED);
    expect([await stockOf(a), await stockOf(b)]).toEqual([0, 2]);
  });

  it.each([
    [{ reservationId: '', items: [{ productId: 'p', quantity: 1 }] }, 'reservation_id'],
    [{ reservationId: 'r', items: [] }, 'items'],
    [{ reservationId: 'r', items: [{ productId: 'p', quantity: 0 }] }, 'items[0].quantity'],
    [{ reservationId: 'r', items: [{ productId: '', quantity: 1 }] }, 'items[0].product_id'],
    [
      {
        reservationId: 'r',
        items: [
          { productId: 'p', quantity: 1 },
          { productId: 'p', quantity: 2 },
        ],
      },
      'items',
    ],
  ])('refuses %j with INVALID_ARGUMENT naming %s', async (request, field) => {
    expect(fieldOf(await expectConnectError(products.client.reserveStock(request), Code.InvalidArgument))).toBe(field);
  });
});

describe('releasing stock', () => {
  it('returns the units exactly once', async () => {
    const id = await productWithStock(4);
    const reservationId = uniqueName('order');
    await products.client.reserveStock({ reservationId, items: [{ productId: id, quantity: 3 }] });
    const answers = await Promise.all([products.client.releaseStock({ reservationId }), products.client.releaseStock({ reservationId })]);
    expect(answers.map((answer) => answer.releasedNow).sort()).toEqual([false, true]);
    for (const answer of answers) expect(answer.reservation?.status).toBe(ReservationStatus.RELEASED);
    expect(await stockOf(id)).toBe(4);
    const again = await products.client.releaseStock({ reservationId });
    expect(again.releasedNow).toBe(false);
    expect(await stockOf(id)).toBe(4);
  });

  it('changes nothing when releasing a rejected reservation', async () => {
    const id = await productWithStock(1);
    const reservationId = uniqueName('order');
    await products.client.reserveStock({ reservationId, items: [{ productId: id, quantity: 5 }] });
    const answer = await products.client.releaseStock({ reservationId });
    expect(answer).toMatchObject({ releasedNow: false, reservation: { status: ReservationStatus.REJECTED } });
    expect(await stockOf(id)).toBe(1);
  });

  it('keeps a released reservation released when it is reserved again with the same id', async () => {
    const id = await productWithStock(2);
    const reservationId = uniqueName('order');
    await products.client.reserveStock({ reservationId, items: [{ productId: id, quantity: 2 }] });
    await products.client.releaseStock({ reservationId });
    const retry = await products.client.reserveStock({ reservationId, items: [{ productId: id, quantity: 2 }] });
    expect(retry.reservation?.status).toBe(ReservationStatus.RELEASED);
    expect(await stockOf(id)).toBe(2);
  });

  it('holds nothing for a reservation that arrives after its release (a delayed retry)', async () => {
    const id = await productWithStock(3);
    const reservationId = uniqueName('order');
    await expectConnectError(products.client.releaseStock({ reservationId }), Code.NotFound);
    const late = await products.client.reserveStock({ reservationId, items: [{ productId: id, quantity: 2 }] });
    expect(late.reservation?.status).toBe(ReservationStatus.RELEASED);
    expect(await stockOf(id)).toBe(3);
  });

  it('answers NOT_FOUND for an unknown reservation and INVALID_ARGUMENT for an empty id', async () => {
    await expectConnectError(products.client.releaseStock({ reservationId: 'never-made' }), Code.NotFound);
    expect(fieldOf(await expectConnectError(products.client.releaseStock({ reservationId: '' }), Code.InvalidArgument))).toBe('reservation_id');
  });
});

describe('adjusting stock', () => {
  it('adds and removes units, raising the version each time', async () => {
    const id = await productWithStock(2);
    const added = await products.client.adjustStock({ productId: id, delta: 5, reason: 'restock' });
    expect(added.product).toMatchObject({ stock: 7, version: 2n });
    const removed = await products.client.adjustStock({ productId: id, delta: -7, reason: 'damaged' });
    expect(removed.product).toMatchObject({ stock: 0, version: 3n });
  });

  it('refuses to go below zero with FAILED_PRECONDITION and keeps the stock', async () => {
    const id = await productWithStock(2);
    await expectConnectError(products.client.adjustStock({ productId: id, delta: -3 }), Code.FailedPrecondition);
    expect(await stockOf(id)).toBe(2);
  });

  it('refuses a zero delta, an empty id, an unknown product and an over-long reason', async () => {
    const id = await productWithStock(2);
    expect(fieldOf(await expectConnectError(products.client.adjustStock({ productId: id, delta: 0 }), Code.InvalidArgument))).toBe('delta');
    expect(fieldOf(await expectConnectError(products.client.adjustStock({ productId: '', delta: 1 }), Code.InvalidArgument))).toBe('product_id');
    await expectConnectError(products.client.adjustStock({ productId: 'missing', delta: 1 }), Code.NotFound);
    expect(fieldOf(await expectConnectError(products.client.adjustStock({ productId: id, delta: 1, reason: 'x'.repeat(201) }), Code.InvalidArgument))).toBe('reason');
  });
});
