import type { Document } from 'bson';
import { ALWAYS_REFUSED, checkFields, implemented } from './command-fields.js';
import { commandError } from './errors.js';

/** A collation the stand-in implements: `simple` (binary comparison) or English at strength 1 (base letters), 2 (accents) or 3 (case). */
export type Collation = { simple: true } | { simple: false; locale: string; strength: 1 | 2 | 3 };

/** The binary comparison MongoDB uses without a collation. */
export const SIMPLE: Collation = { simple: true };

const DEFAULTS: Record<string, unknown> = { caseLevel: false, caseFirst: 'off', numericOrdering: false, alternate: 'non-ignorable', backwards: false, normalization: false };

/** Parses a command's `collation`, refusing with 115 CommandNotSupported what the stand-in does not implement. */
export function parseCollation(value: unknown, path: string): Collation {
  if (value === undefined) return SIMPLE;
  if (typeof value !== 'object' || value === null) throw commandError('TypeMismatch', `BSON field '${path}' is the wrong type, expected type 'object'`);
  const spec = value as Document;
  checkFields(path, spec, { ...implemented('locale', 'strength', ...Object.keys(DEFAULTS)), maxVariable: ALWAYS_REFUSED, version: ALWAYS_REFUSED }, false, false);
  if (typeof spec.locale !== 'string') throw commandError('Location40415', `BSON field '${path}.locale' is missing but a required field`);
  if (spec.locale === 'simple') {
    if (Object.keys(spec).length > 1) throw commandError('BadValue', "If 'locale' is set to 'simple', no other collation options may be specified");
    return SIMPLE;
  }
  if (!/^en(_[A-Z]{2})?$/.test(spec.locale)) throw unsupported(path, `locale "${spec.locale}" (only "simple" and "en" are implemented)`);
  for (const [option, fallback] of Object.entries(DEFAULTS)) {
    if (spec[option] !== undefined && spec[option] !== fallback) throw unsupported(path, `${option}: ${JSON.stringify(spec[option])}`);
  }
  const strength = spec.strength ?? 3;
  if (strength !== 1 && strength !== 2 && strength !== 3) throw unsupported(path, `strength: ${String(strength)} (1, 2 and 3 are implemented)`);
  return { simple: false, locale: spec.locale, strength };
}

function unsupported(path: string, what: string): Error {
  return commandError('CommandNotSupported', `${path} ${what} is not supported by the mongo stand-in`);
}

/** A string as the collation compares it for equality: folded case at strength 1-2, no accents at strength 1. */
export function foldString(text: string, collation: Collation): string {
  if (collation.simple) return text;
  const composed = text.normalize('NFC');
  if (collation.strength === 3) return composed;
  const lower = composed.toLocaleLowerCase('en');
  return collation.strength === 1 ? lower.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC') : lower;
}

/** A value with every string folded for the collation (documents and filter literals alike). */
export function foldValue(value: unknown, collation: Collation): unknown {
  if (typeof value === 'string') return foldString(value, collation);
  if (Array.isArray(value)) return value.map((element) => foldValue(element, collation));
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, foldValue(entry, collation)]));
}

/** Refuses filter parts whose meaning a collation changes in ways the stand-in does not model ($regex, $expr, $where, $text). */
export function checkCollatedFilter(filter: Document | undefined, collation: Collation): void {
  if (collation.simple || !filter) return;
  const text = JSON.stringify(filter, (_key, value: unknown) => (value instanceof RegExp ? { $regex: true } : value));
  for (const operator of ['$regex', '$expr', '$where', '$text', '$function']) {
    if (text.includes(`"${operator}"`)) throw unsupported('collation', `together with ${operator}`);
  }
}

/** The collation spec mingo's sort takes. */
export function sortCollation(collation: Collation): { locale: string; strength: 1 | 2 | 3 } | undefined {
  return collation.simple ? undefined : { locale: collation.locale, strength: collation.strength };
}
