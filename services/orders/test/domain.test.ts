import { describe, expect, it } from '@jest/globals';
import { splitAddressLine, joinAddressLines } from '../src/domain/address.js';
import { draftOrder, productRejection } from '../src/domain/order-draft.js';
import { loadConfig } from '../src/config.js';
import { laterLsn, WriteLsns } from '../src/domain/write-lsns.js';

const input = {
  idempotencyKey: 'key-1',
  customerId: 'customer-1',
  items: [
    { productId: 'a', quantity: 2 },
    { productId: 'b', quantity: 1 },
  ],
  shippingAddress: { line1: 'Street 1', line2: '', line3: '' },
};
const customer = { id: 'customer-1', displayName: 'Ada', version: 4n };
const product = (id: string, amountMinor: bigint, currencyCode = 'EUR') => ({ id, name: `Product ${id}`, price: { amountMinor, currencyCode }, stock: 10 });

describe('order draft', () => {
  it('prices a pending order from the products and copies names and prices', () => {
    const draft = draftOrder('order-1', input, [product('a', 150n), product('b', 1000n)], [], customer);
    expect(draft).toMatchObject({ status: 'PENDING', statusReason: '', total: { amountMinor: 1300n, currencyCode: 'EUR' } });
    expect(draft.items.map((item) => item.productName)).toEqual(['Product a', 'Product b']);
  });

  it('rejects on the products first (unknown products, mixed currencies, short stock), then a missing customer', () => {
    expect(draftOrder('o', input, [product('a', 1n)], ['b'], undefined).statusReason).toBe('unknown products: b');
    expect(draftOrder('o', input, [product('a', 1n), product('b', 1n, 'USD')], [], customer)).toMatchObject({
      status: 'REJECTED',
      statusReason: 'mixed currencies: EUR, USD',
      total: { amountMinor: 0n, currencyCode: '' },
    });
    expect(draftOrder('o', input, [product('a', 1n), { ...product('b', 1n), stock: 0 }], [], undefined).statusReason).toBe('out of stock: b');
    expect(draftOrder('o', input, [product('a', 1n), product('b', 1n)], [], undefined).statusReason).toBe('customer customer-1 not found');
  });

  it('needs no customer when the products already refuse the order', () => {
    expect(productRejection(input, [product('a', 1n), { ...product('b', 1n), stock: 0 }], [])).toBe('out of stock: b');
    expect(productRejection(input, [product('a', 1n)], ['b'])).toBe('unknown products: b');
    expect(productRejection(input, [product('a', 1n), product('b', 1n)], [])).toBeUndefined();
  });
});

describe('single-line addresses', () => {
  it('split on line breaks when there are any, else on commas, keeping the rest in the third line', () => {
    expect(splitAddressLine('Quay 3\n99999 Port\nNorway')).toEqual({ line1: 'Quay 3', line2: '99999 Port', line3: 'Norway' });
    expect(splitAddressLine('Main St 1, 12345 Town, Region, Country')).toEqual({ line1: 'Main St 1', line2: '12345 Town', line3: 'Region, Country' });
    expect(splitAddressLine('Just one line')).toEqual({ line1: 'Just one line', line2: '', line3: '' });
  });

  it('join back to the line-broken form, which splits into the same lines', () => {
    const address = { line1: 'Long Road 9', line2: '54321 City', line3: 'Spain, EU' };
    expect(splitAddressLine(joinAddressLines(address))).toEqual(address);
  });
});

describe('write positions', () => {
  it('remember the latest write per order and customer, kept when an earlier one arrives after it, and compare LSNs numerically', () => {
    const lsns = new WriteLsns(4);
    lsns.note('o1', 'c1', '0/9');
    lsns.note('o2', 'c1', '0/1A');
    lsns.note('o4', 'c1', '0/F');
    expect([lsns.ofOrder('o1'), lsns.ofCustomer('c1')]).toEqual(['0/9', '0/1A']);
    lsns.note('o3', 'c2', '1/0');
    expect([lsns.ofOrder('o1'), lsns.ofOrder('o2')]).toEqual([undefined, undefined]);
    expect(laterLsn('0/FF', '1/0')).toBe('1/0');
    expect(laterLsn(undefined, '0/1')).toBe('0/1');
  });
});

describe('configuration', () => {
  it('names a missing database URL and takes the documented defaults', () => {
    expect(() => loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' })).toThrow('config error: ORDERS_DATABASE_URL is required but not set');
    expect(loadConfig({ NATS_URL: 'nats://127.0.0.1:4222', ORDERS_DATABASE_URL: 'postgres://o@127.0.0.1/orders' })).toMatchObject({
      host: '127.0.0.1',
      port: 20052,
      productsAddr: '127.0.0.1:20051',
      usersAddr: '127.0.0.1:20053',
      replicaWaitMs: 200,
      checkoutConcurrency: 32,
      checkoutQueueLimit: 2000,
    });
    expect(() => loadConfig({ NATS_URL: 'nats://x:1', ORDERS_DATABASE_URL: 'postgres://o@h/d', ORDERS_CRASH_AFTER_STEP: 'paid' })).toThrow(/ORDERS_CRASH_AFTER_STEP is invalid/);
  });
});
