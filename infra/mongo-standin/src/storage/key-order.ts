import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { keyString } from '../documents.js';

/** The lowest or highest key of one BSON type bracket, used as an open end of an index range. */
export class BracketEdge {
  constructor(
    readonly rank: number,
    readonly high: boolean,
  ) {}
}

/** The rank of a value's type in MongoDB's comparison order (null and missing rank together, numbers together). */
export function typeRank(value: unknown): number {
  if (value instanceof BracketEdge) return value.rank;
  if (value instanceof MinKey) return 0;
  if (value === null || value === undefined) return 1;
  if (typeof value === 'number' || value instanceof Long || value instanceof Int32 || value instanceof Double || value instanceof Decimal128 || typeof value === 'bigint') return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (value instanceof Binary) return 6;
  if (value instanceof ObjectId) return 7;
  if (typeof value === 'boolean') return 8;
  if (value instanceof Date) return 9;
  if (value instanceof Timestamp) return 10;
  if (value instanceof RegExp) return 11;
  if (value instanceof MaxKey) return 12;
  return 4;
}

function numeric(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value));
}

function sameRank(left: unknown, right: unknown, rank: number): number {
  switch (rank) {
    case 0:
    case 1:
    case 12:
      return 0;
    case 2:
      return Math.sign(numeric(left) - numeric(right));
    case 3:
      return left === right ? 0 : (left as string) < (right as string) ? -1 : 1;
    case 7:
      return Math.sign(Buffer.compare((left as ObjectId).id, (right as ObjectId).id));
    case 8:
      return Number(left) - Number(right);
    case 9:
      return Math.sign((left as Date).getTime() - (right as Date).getTime());
    default: {
      const [a, b] = [keyString(left), keyString(right)];
      return a === b ? 0 : a < b ? -1 : 1;
    }
  }
}

/** Compares two index key values in MongoDB's order: by type bracket, then by value. */
export function compareKeyValues(left: unknown, right: unknown): number {
  const [leftRank, rightRank] = [typeRank(left), typeRank(right)];
  if (leftRank !== rightRank) return leftRank - rightRank;
  if (left instanceof BracketEdge || right instanceof BracketEdge) {
    const edge = (left instanceof BracketEdge ? left : right) as BracketEdge;
    const sign = left instanceof BracketEdge ? 1 : -1;
    if (left instanceof BracketEdge && right instanceof BracketEdge) return Number(left.high) - Number(right.high);
    return edge.high ? sign : -sign;
  }
  return sameRank(left, right, leftRank);
}

/** Compares compound keys field by field (ascending); a shorter probe compares as a prefix of the longer key. */
export function compareKeys(left: readonly unknown[], right: readonly unknown[]): number {
  const length = Math.min(left.length, right.length);
  for (let at = 0; at < length; at += 1) {
    const order = compareKeyValues(left[at], right[at]);
    if (order !== 0) return order;
  }
  return 0;
}
