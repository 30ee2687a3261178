import { invalidArgument } from '@shop/runtime/errors';
import { maxIdLength, maxQuantity } from './cart.js';

/** Checks that an id field is non-empty and at most maxIdLength characters. */
export function requireId(field: string, value: string): string {
  if (value.length === 0) throw invalidArgument(field, 'must not be empty');
  if (value.length > maxIdLength) throw invalidArgument(field, `must be at most ${maxIdLength} characters`);
  return value;
}

/** Checks that a quantity field is an integer from min to maxQuantity. */
export function requireQuantity(value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > maxQuantity) {
    throw invalidArgument('quantity', `must be from ${min} to ${maxQuantity}, got ${value}`);
  }
  return value;
}

/** Checks every id of a repeated id field. */
export function requireIds(field: string, values: readonly string[]): readonly string[] {
  values.forEach((value) => requireId(field, value));
  return values;
}
