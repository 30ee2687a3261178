import { describe, expect, it } from '@jest/globals';
import { defined } from '../src/peers/proto-values.js';

describe('gateway proto values', () => {
  it('leaves out only the keys whose value is undefined, keeping falsy values and the order of the rest', () => {
    const kept = defined({ id: 'p1', price: undefined, stock: 0, name: '', description: null, live: false });
    expect(kept).toEqual({ id: 'p1', stock: 0, name: '', description: null, live: false });
    expect(Object.keys(kept)).toEqual(['id', 'stock', 'name', 'description', 'live']);
    expect('price' in kept).toBe(false);
  });
});
