import type { DescField, DescMessage } from '@bufbuild/protobuf';
import { isMessage } from '@bufbuild/protobuf';
import { invalidArgument } from '../errors.js';

/** The bounds every request field is held to before any handler runs: one vocabulary for every service and the gateway. */
export const fieldBounds = {
  /** `id`, `*_id`, `ids`, `*_ids`: characters. */
  idLength: 256,
  /** `*_token`, `*_key` (page tokens, idempotency keys): characters. */
  tokenLength: 1024,
  /** Free text (`description`, `*_text`, `comment`, `notes`): characters. */
  textLength: 16_384,
  /** Any other string (names, queries, emails, codes, address lines): characters. */
  nameLength: 512,
  /** A bytes field: bytes. */
  bytesLength: 65_536,
  /** Elements of a repeated field, entries of a map. */
  listSize: 1000,
  /** The largest `page_size`. */
  pageSize: 1000,
} as const;

type StringKind = 'id' | 'token' | 'text' | 'name';

const textNames = new Set(['description', 'comment', 'notes', 'body', 'text']);
/** C0 controls and DEL: never part of an id, a token or a name. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** The kind of string a field holds, from its name. */
export function stringKindOf(fieldName: string): StringKind {
  if (fieldName === 'id' || fieldName === 'ids' || fieldName.endsWith('_id') || fieldName.endsWith('_ids')) return 'id';
  if (fieldName.endsWith('_token') || fieldName.endsWith('_key')) return 'token';
  if (textNames.has(fieldName) || fieldName.endsWith('_text') || fieldName.endsWith('_description')) return 'text';
  return 'name';
}

const lengthOf: Record<StringKind, number> = {
  id: fieldBounds.idLength,
  token: fieldBounds.tokenLength,
  text: fieldBounds.textLength,
  name: fieldBounds.nameLength,
};

/** Throws INVALID_ARGUMENT naming the field path of the first value of the message outside the shared bounds. */
export function checkFieldBounds(schema: DescMessage, message: unknown, prefix = ''): void {
  if (typeof message !== 'object' || message === null) return;
  const record = message as Record<string, unknown>;
  for (const field of schema.fields) {
    const value = fieldValue(field, record);
    if (value === undefined) continue;
    checkField(field, value, `${prefix}${field.name}`);
  }
}

function fieldValue(field: DescField, record: Record<string, unknown>): unknown {
  if (!field.oneof) return record[field.localName];
  const oneof = record[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
  return oneof?.case === field.localName ? oneof.value : undefined;
}

function checkField(field: DescField, value: unknown, path: string): void {
  switch (field.fieldKind) {
    case 'scalar':
      checkScalar(field.name, value, path);
      return;
    case 'message':
      checkFieldBounds(field.message, value, `${path}.`);
      return;
    case 'list':
      checkList(field, value as unknown[], path);
      return;
    case 'map':
      checkMap(field, value as Record<string, unknown>, path);
      return;
    default:
      return;
  }
}

function checkList(field: DescField & { fieldKind: 'list' }, values: unknown[], path: string): void {
  if (values.length > fieldBounds.listSize) throw invalidArgument(path, `must hold at most ${fieldBounds.listSize} elements, got ${values.length}`);
  values.forEach((element, index) => {
    if (field.listKind === 'message') checkFieldBounds(field.message, element, `${path}[${index}].`);
    else checkScalar(field.name, element, `${path}[${index}]`);
  });
}

function checkMap(field: DescField & { fieldKind: 'map' }, entries: Record<string, unknown>, path: string): void {
  const keys = Object.keys(entries);
  if (keys.length > fieldBounds.listSize) throw invalidArgument(path, `must hold at most ${fieldBounds.listSize} entries, got ${keys.length}`);
  for (const key of keys) {
    checkString('name', key, `${path}.key`);
    const entry = entries[key];
    if (field.mapKind === 'message' && isMessage(entry)) checkFieldBounds(field.message, entry, `${path}[${JSON.stringify(key)}].`);
    else checkScalar(field.name, entry, `${path}[${JSON.stringify(key)}]`);
  }
}

function checkScalar(fieldName: string, value: unknown, path: string): void {
  if (typeof value === 'string') checkString(stringKindOf(fieldName), value, path);
  else if (value instanceof Uint8Array && value.byteLength > fieldBounds.bytesLength) {
    throw invalidArgument(path, `must be at most ${fieldBounds.bytesLength} bytes, got ${value.byteLength}`);
  } else if (fieldName === 'page_size' && typeof value === 'number' && (value < 0 || value > fieldBounds.pageSize)) {
    throw invalidArgument(path, `must be from 0 to ${fieldBounds.pageSize}, got ${value}`);
  }
}

function checkString(kind: StringKind, value: string, path: string): void {
  const limit = lengthOf[kind];
  if (value.length > limit) throw invalidArgument(path, `must be at most ${limit} characters, got ${value.length}`);
  if (value.includes('\u0000')) throw invalidArgument(path, 'must not contain NUL characters');
  if (kind !== 'text' && controlCharacter.test(value)) throw invalidArgument(path, 'must not contain control characters');
}
