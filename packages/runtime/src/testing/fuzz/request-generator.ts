import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import type { Random } from './random.js';

const int32s = [0, 1, -1, 7, 100, 1000, 1001, 2_147_483_647, -2_147_483_648];
const uint32s = [0, 1, 100, 4_294_967_295];
const int64s = [0n, 1n, -1n, 1000n, 9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n];
const uint64s = [0n, 1n, 18_446_744_073_709_551_615n];
const doubles = [0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e-308];
const listSizes = [0, 1, 3, 1001, 1500];

/** Strings that break careless code: empty, long, non-ASCII, control characters, injections, lone surrogates. */
const nastyStrings = [
  '',
  ' ',
  'a',
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(5000),
  'x'.repeat(300_000),
  'ü'.repeat(600),
  '😀'.repeat(200),
  'nul\u0000byte',
  'line\r\nbreak',
  '\u0007\u001b[31mred',
  '\ud800',
  "' OR 1=1 --",
  '{"$gt":""}',
  '$where',
  '../../etc/passwd',
  '%s%n%x',
  '*',
  'a*b?c~',
  '\\',
  'EUR',
  'ZZZZ',
  'id:with:colons',
  'products:1',
  '00000000-0000-0000-0000-000000000000',
  'name.with.dots',
  '<script>alert(1)</script>',
];

/** Short nasty strings: what elements of a long list are made of, so a request stays within a few megabytes. */
const shortStrings = nastyStrings.filter((value) => value.length <= 300);

interface Generation {
  readonly random: Random;
  readonly known: readonly string[];
  readonly depth: number;
  /** Inside a long list: only short values. */
  readonly small: boolean;
}

/** Builds a request init shape for the schema from its descriptor: boundary values, nasty strings, unknown enums, huge lists, missing fields. */
export function generateRequest(schema: DescMessage, random: Random, knownStrings: readonly string[] = []): Record<string, unknown> {
  return generated(schema, { random, known: knownStrings, depth: 0, small: false });
}

function generated(schema: DescMessage, generation: Generation): Record<string, unknown> {
  return initOf(schema, (field) => (generation.random.chance(0.25) ? undefined : fieldValue(field, generation)));
}

/** An init shape with each field's value from valueOf (undefined leaves it unset; one member per oneof). */
function initOf(schema: DescMessage, valueOf: (field: DescField) => unknown): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  for (const field of schema.fields) {
    if (field.oneof && init[field.oneof.localName] !== undefined) continue;
    const value = valueOf(field);
    if (value === undefined) continue;
    if (field.oneof) init[field.oneof.localName] = { case: field.localName, value };
    else init[field.localName] = value;
  }
  return init;
}

function fieldValue(field: DescField, generation: Generation): unknown {
  const { random, depth } = generation;
  const nested = (small: boolean): Generation => ({ ...generation, depth: depth + 1, small: generation.small || small });
  switch (field.fieldKind) {
    case 'scalar':
      return scalarValue(field.scalar, generation);
    case 'enum':
      return enumValue(field.enum, random);
    case 'message':
      return depth < 4 ? generated(field.message, nested(false)) : undefined;
    case 'list': {
      const size = generation.small ? random.pick([0, 1, 3]) : random.pick(listSizes);
      const inner = nested(size > 5);
      const element = () => (field.listKind === 'scalar' ? scalarValue(field.scalar, inner) : field.listKind === 'enum' ? enumValue(field.enum, random) : generated(field.message, inner));
      const sample = Array.from({ length: Math.min(size, 5) }, element);
      return Array.from({ length: size }, (_, index) => sample[index % Math.max(1, sample.length)]);
    }
    case 'map': {
      const inner = nested(true);
      const value = () => (field.mapKind === 'message' ? generated(field.message, inner) : field.mapKind === 'enum' ? enumValue(field.enum, random) : scalarValue(field.scalar, inner));
      return Object.fromEntries(Array.from({ length: random.pick([0, 1, 3]) }, () => [random.pick(shortStrings).slice(0, 50), value()]));
    }
  }
}

function enumValue(descriptor: DescEnum, random: Random): number {
  return random.chance(0.3) ? random.pick([999, -1, 2_147_483_647]) : random.pick(descriptor.values).number;
}

function scalarValue(scalar: ScalarType, { random, known, small }: Generation): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return known.length > 0 && random.chance(0.3) ? random.pick(known) : random.pick(small ? shortStrings : nastyStrings);
    case ScalarType.BYTES:
      return random.bytes(random.pick(small ? [0, 16] : [0, 16, 70_000]));
    case ScalarType.BOOL:
      return random.chance(0.5);
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return random.pick(doubles);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return random.pick(uint32s);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return random.pick(int64s);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return random.pick(uint64s);
    default:
      return random.pick(int32s);
  }
}

/** A request as large as an attacker would send within the message size limit: every string 300 000 characters, every list 1500 elements. */
export function oversizedRequest(schema: DescMessage, depth = 0): Record<string, unknown> {
  return initOf(schema, (field) => oversizedValue(field, depth));
}

function oversizedValue(field: DescField, depth: number): unknown {
  if (field.fieldKind === 'scalar') return field.scalar === ScalarType.STRING ? 'x'.repeat(300_000) : undefined;
  if (field.fieldKind === 'message') return depth < 2 ? oversizedRequest(field.message, depth + 1) : undefined;
  if (field.fieldKind !== 'list') return undefined;
  if (field.listKind === 'message') return Array.from({ length: 1500 }, () => ({}));
  if (field.listKind === 'scalar' && field.scalar === ScalarType.STRING) return Array.from({ length: 1500 }, () => 'x'.repeat(200));
  return undefined;
}
