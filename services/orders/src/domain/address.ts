import type { ShippingAddress } from './order.js';

/** Splits a single-line address (schema V1) into three lines: on line breaks when it has them, else on commas. */
export function splitAddressLine(singleLine: string): ShippingAddress {
  const trimmed = singleLine.trim();
  const parts = /[\r\n]/.test(trimmed) ? trimmed.split(/\s*[\r\n]+\s*/) : trimmed.split(/\s*,\s*/);
  return { line1: parts[0] ?? '', line2: parts[1] ?? '', line3: parts.slice(2).join(', ') };
}

/** Joins three lines into the single-line form that schema V1 and V2 still store. */
export function joinAddressLines(address: ShippingAddress): string {
  return [address.line1, address.line2, address.line3].filter((line) => line !== '').join('\n');
}
