import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@shop/runtime/errors';
import type { Product } from '../../src/domain/product.js';
import type { Reservation } from '../../src/domain/reservation.js';
import { maxStock, moveStock, planRelease, planReservation, planReservations } from '../../src/domain/stock-rules.js';

const then = new Date('2026-01-01T00:00:00Z');
const now = new Date('2026-01-02T00:00:00Z');

function product(id: string, stock: number, version = 1): Product {
  return { id, sku: `sku-${id}`, name: id, description: '', categoryId: 'c', price: { amountMinor: 100n, currencyCode: 'EUR' }, stock, version, createTime: then, updateTime: then };
}

function catalog(...products: Product[]): Map<string, Product> {
  return new Map(products.map((item) => [item.id, item]));
}

function reserved(id: string, items: Reservation['items']): Reservation {
  return { id, items, status: 'RESERVED', shortProductIds: [], createTime: then };
}

describe('planning a reservation', () => {
  it('takes every item and raises each product version once', () => {
    const plan = planReservation('r1', [{ productId: 'a', quantity: 3 }, { productId: 'b', quantity: 1 }], { products: catalog(product('a', 3), product('b', 5, 7)) }, now);
    expect(plan.kind).toBe('reserved');
    expect(plan.reservation).toEqual({ id: 'r1', items: [{ productId: 'a', quantity: 3 }, { productId: 'b', quantity: 1 }], status: 'RESERVED', shortProductIds: [], createTime: now });
    if (plan.kind !== 'reserved') return;
    expect(plan.moves.map(({ product: moved, delta, reason }) => [moved.id, moved.stock, moved.version, delta, reason])).toEqual([
      ['a', 0, 2, -3, 'reserve'],
      ['b', 4, 8, -1, 'reserve'],
    ]);
    expect(plan.moves.every((move) => move.product.updateTime === now)).toBe(true);
  });

  it('rejects the whole reservation, moving nothing, when one product is short or unknown', () => {
    const plan = planReservation('r2', [{ productId: 'a', quantity: 4 }, { productId: 'b', quantity: 2 }, { productId: 'ghost', quantity: 1 }], { products: catalog(product('a', 10), product('b', 1)) }, now);
    expect(plan).toEqual({ kind: 'rejected', reservation: expect.objectContaining({ status: 'REJECTED', shortProductIds: ['b', 'ghost'] }) });
  });

  it('answers a reservation id seen before with its first answer, whatever the stock now', () => {
    const first = reserved('r3', [{ productId: 'a', quantity: 2 }]);
    expect(planReservation('r3', [{ productId: 'a', quantity: 99 }], { existing: first, products: catalog() }, now)).toEqual({ kind: 'answered', reservation: first });
  });

  it('gives exactly the units there are to one-unit requests decided one after the other', () => {
    let stock = product('a', 20);
    const statuses = Array.from({ length: 200 }, (_, index) => {
      const plan = planReservation(`race-${index}`, [{ productId: 'a', quantity: 1 }], { products: catalog(stock) }, now);
      if (plan.kind === 'reserved') stock = plan.moves[0]!.product;
      return plan.reservation.status;
    });
    expect(statuses.filter((status) => status === 'RESERVED')).toHaveLength(20);
    expect(stock.stock).toBe(0);
  });
});

describe('planning reservations together', () => {
  it('gives later requests only the units earlier ones left, each all-or-nothing', () => {
    const requests = [
      { reservationId: 'x1', items: [{ productId: 'a', quantity: 2 }, { productId: 'b', quantity: 1 }] },
      { reservationId: 'x2', items: [{ productId: 'a', quantity: 2 }, { productId: 'b', quantity: 1 }] },
      { reservationId: 'x3', items: [{ productId: 'a', quantity: 1 }] },
    ];
    const plan = planReservations(requests, { existing: new Map(), products: catalog(product('a', 3), product('b', 5)) }, now);
    expect(plan.answers.map((answer) => [answer.id, answer.status, answer.shortProductIds])).toEqual([
      ['x1', 'RESERVED', []],
      ['x2', 'REJECTED', ['a']],
      ['x3', 'RESERVED', []],
    ]);
    expect(plan.created.map((reservation) => reservation.id)).toEqual(['x1', 'x2', 'x3']);
    expect(plan.moves.map(({ product: moved, delta }) => [moved.id, moved.stock, moved.version, delta])).toEqual([
      ['a', 1, 2, -2],
      ['b', 4, 2, -1],
      ['a', 0, 3, -1],
    ]);
  });

  it('answers a recorded id and an id repeated in the same batch with the first answer, recording it once', () => {
    const first = reserved('old', [{ productId: 'a', quantity: 1 }]);
    const requests = [
      { reservationId: 'old', items: [{ productId: 'a', quantity: 1 }] },
      { reservationId: 'new', items: [{ productId: 'a', quantity: 1 }] },
      { reservationId: 'new', items: [{ productId: 'a', quantity: 1 }] },
    ];
    const plan = planReservations(requests, { existing: new Map([['old', first]]), products: catalog(product('a', 5)) }, now);
    expect(plan.answers[0]).toBe(first);
    expect(plan.answers[2]).toBe(plan.answers[1]);
    expect(plan.created.map((reservation) => reservation.id)).toEqual(['new']);
    expect(plan.moves.map(({ product: moved }) => moved.stock)).toEqual([4]);
  });
});

describe('planning a release', () => {
  it('returns a reserved reservation’s units once, to the products that still exist', () => {
    const plan = planRelease('r1', reserved('r1', [{ productId: 'a', quantity: 2 }, { productId: 'gone', quantity: 1 }]), catalog(product('a', 1, 4)), now);
    expect(plan.kind).toBe('released');
    if (plan.kind !== 'released') return;
    expect(plan.outcome).toEqual({ reservation: expect.objectContaining({ id: 'r1', status: 'RELEASED' }), releasedNow: true });
    expect(plan.moves.map(({ product: moved, delta, reason }) => [moved.id, moved.stock, moved.version, delta, reason])).toEqual([['a', 3, 5, 2, 'release']]);
    expect(plan.releaseTime).toBe(now);
  });

  it.each(['REJECTED', 'RELEASED'] as const)('changes nothing for a %s reservation', (status) => {
    const current: Reservation = { ...reserved('r2', [{ productId: 'a', quantity: 1 }]), status };
    expect(planRelease('r2', current, catalog(product('a', 1)), now)).toEqual({ kind: 'unchanged', outcome: { reservation: current, releasedNow: false } });
  });

  it('records an unknown reservation as released with no items, and is NOT_FOUND', () => {
    const plan = planRelease('never-made', undefined, catalog(), now);
    expect(plan.kind).toBe('unknown');
    if (plan.kind !== 'unknown') return;
    expect(plan.tombstone).toEqual({ id: 'never-made', items: [], status: 'RELEASED', shortProductIds: [], createTime: now });
    expect(plan.error).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('moving stock', () => {
  it('adds and removes units one version up', () => {
    expect(moveStock(product('a', 2, 3), 5, 'restock', now)).toEqual({ product: { ...product('a', 7, 4), updateTime: now }, delta: 5, reason: 'restock' });
    expect(moveStock(product('a', 2), -2, 'damaged', now).product.stock).toBe(0);
  });

  it('refuses to go below zero or above the largest stock with FAILED_PRECONDITION', () => {
    expect(() => moveStock(product('a', 2), -3, 'x', now)).toThrow(DomainError);
    expect(() => moveStock(product('a', 2), -3, 'x', now)).toThrow(/is 2; removing 3 would go below zero/);
    expect(() => moveStock(product('a', maxStock), 1, 'x', now)).toThrow(expect.objectContaining({ code: 'FAILED_PRECONDITION' }));
  });
});
