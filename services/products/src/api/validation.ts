import { invalidArgument } from '@shop/runtime';
import type { Money as MoneyMessage } from '@shop/gen/common/v1/money_pb';
import type { StockItem as StockItemMessage } from '@shop/gen/product/v1/product_pb';
import type { Money } from '../domain/product.js';
import type { StockItem } from '../domain/reservation.js';

/** Most ids a batch read or a reservation may name. */
export const maxBatchSize = 1000;
const maxSkuLength = 64;
const maxNameLength = 200;
const maxDescriptionLength = 10_000;
const maxIdLength = 128;

/** A required id of at most 128 characters. */
export function requiredId(field: string, value: string): string {
  if (value.length === 0) throw invalidArgument(field, 'must not be empty');
  if (value.length > maxIdLength) throw invalidArgument(field, `must be at most ${maxIdLength} characters`);
  return value;
}

/** A SKU: 1 to 64 characters. */
export function validSku(field: string, value: string): string {
  if (value.trim().length === 0) throw invalidArgument(field, 'must not be empty');
  if (value.length > maxSkuLength) throw invalidArgument(field, `must be at most ${maxSkuLength} characters`);
  return value;
}

/** A display name: not blank, at most 200 characters. */
export function validName(field: string, value: string): string {
  if (value.trim().length === 0) throw invalidArgument(field, 'must not be empty');
  if (value.length > maxNameLength) throw invalidArgument(field, `must be at most ${maxNameLength} characters`);
  return value;
}

/** A description of at most 10000 characters. */
export function validDescription(field: string, value: string): string {
  if (value.length > maxDescriptionLength) throw invalidArgument(field, `must be at most ${maxDescriptionLength} characters`);
  return value;
}

/** A category id: lowercase letters, digits and dashes. */
export function validCategoryId(field: string, value: string): string {
  if (!/^[a-z0-9-]{1,64}$/.test(value)) throw invalidArgument(field, 'must be 1 to 64 lowercase letters, digits or dashes');
  return value;
}

/** A price: not negative, with a three-letter upper-case currency code. */
export function validPrice(field: string, value: MoneyMessage | undefined): Money {
  if (!value) throw invalidArgument(field, 'is required');
  if (value.amountMinor < 0n) throw invalidArgument(`${field}.amount_minor`, 'must not be negative');
  if (!/^[A-Z]{3}$/.test(value.currencyCode)) throw invalidArgument(`${field}.currency_code`, 'must be three upper-case letters, for example EUR');
  return { amountMinor: value.amountMinor, currencyCode: value.currencyCode };
}

/** A list of at most 1000 ids, none empty. */
export function validIds(field: string, ids: readonly string[]): string[] {
  if (ids.length > maxBatchSize) throw invalidArgument(field, `must name at most ${maxBatchSize} ids, got ${ids.length}`);
  ids.forEach((id, index) => requiredId(`${field}[${index}]`, id));
  return [...ids];
}

/** Reservation items: at least one, each product once, each quantity at least 1. */
export function validItems(items: readonly StockItemMessage[]): StockItem[] {
  if (items.length === 0) throw invalidArgument('items', 'must hold at least one item');
  if (items.length > maxBatchSize) throw invalidArgument('items', `must hold at most ${maxBatchSize} items`);
  const seen = new Set<string>();
  return items.map((item, index) => {
    const productId = requiredId(`items[${index}].product_id`, item.productId);
    if (item.quantity < 1) throw invalidArgument(`items[${index}].quantity`, `must be at least 1, got ${item.quantity}`);
    if (seen.has(productId)) throw invalidArgument('items', `must name each product once; ${JSON.stringify(productId)} repeats`);
    seen.add(productId);
    return { productId, quantity: item.quantity };
  });
}

/** The reason of a stock adjustment, at most 200 characters; "adjustment" when empty. */
export function validReason(value: string): string {
  if (value.length > maxNameLength) throw invalidArgument('reason', `must be at most ${maxNameLength} characters`);
  return value.trim() || 'adjustment';
}

/** A page size from 1 to 100; 0 means 20 and larger values are capped. */
export function validPageSize(value: number): number {
  if (value < 0) throw invalidArgument('page_size', 'must not be negative');
  return value === 0 ? 20 : Math.min(value, 100);
}
