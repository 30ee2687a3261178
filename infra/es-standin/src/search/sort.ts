import { EsError, fielddataDisabled, idFielddataDisabled, illegalArgument, parsingError } from '../errors.js';
import { compareScalars } from '../json.js';
import type { EsIndex } from '../store/es-index.js';
import { isObject } from './query/clause-body.js';
import type { Match, SortValue } from './hit.js';

/** One sort criterion. */
export interface SortSpec {
  field: string;
  descending: boolean;
  missingFirst: boolean;
  unmappedType?: string;
}

const sortOptions = ['order', 'missing', 'unmapped_type'];

function missingOption(raw: unknown): boolean {
  if (raw === undefined || raw === '_last') return false;
  if (raw === '_first') return true;
  throw illegalArgument(`[sort] the es-standin supports [missing] values _first and _last only, got [${String(raw)}]`);
}

function spec(field: string, options: Record<string, unknown>): SortSpec {
  const unknown = Object.keys(options).find((key) => !sortOptions.includes(key));
  if (unknown) throw parsingError(`[field_sort] unknown field [${unknown}]`);
  if (field === '_id') throw idFielddataDisabled();
  const order = String(options['order'] ?? (field === '_score' ? 'desc' : 'asc')).toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw parsingError(`[sort] unknown order [${order}]`);
  return {
    field,
    descending: order === 'desc',
    missingFirst: missingOption(options['missing']),
    unmappedType: options['unmapped_type'] as string | undefined,
  };
}

function parseEntry(entry: unknown): SortSpec {
  if (typeof entry === 'string') {
    const [field = '', order] = entry.split(':');
    return spec(field, order ? { order } : {});
  }
  if (!isObject(entry)) throw parsingError('[sort] malformed sort entry');
  const [[field, options] = ['', undefined]] = Object.entries(entry);
  return spec(field, isObject(options) ? options : { order: options });
}

/** Parses the `sort` body option or query parameter into criteria. */
export function parseSort(raw: unknown): SortSpec[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return raw.split(',').map(parseEntry);
  return [raw].flat().map(parseEntry);
}

/** True when the criteria rank by relevance (no sort, or `_score` among them). */
export function sortsByScore(specs: SortSpec[]): boolean {
  return specs.length === 0 || specs.some((criterion) => criterion.field === '_score');
}

/** Refuses sorting on text or unmapped fields, as Elasticsearch does. */
export function validateSortFields(specs: SortSpec[], indices: EsIndex[]): void {
  for (const criterion of specs) {
    if (criterion.field === '_score' || criterion.field === '_doc') continue;
    const mapped = indices.map((index) => ({ index, field: index.mappings.field(criterion.field) }));
    const text = mapped.find((entry) => entry.field?.kind === 'text');
    if (text) {
      throw fielddataDisabled(criterion.field, text.index.name);
    }
    if (indices.length > 0 && mapped.every((entry) => !entry.field) && !criterion.unmappedType) {
      throw new EsError(400, 'query_shard_exception', `No mapping found for [${criterion.field}] in order to sort on`, { index_uuid: indices[0]!.uuid, index: indices[0]!.name });
    }
  }
}

function fieldSortValue(match: Match, criterion: SortSpec): SortValue {
  if (criterion.field === '_score') return match.score;
  if (criterion.field === '_doc') return match.order;
  const data = match.index.documents.inverted.column(criterion.field)[match.doc.docNo];
  if (data?.kind !== 'values' || data.values.length === 0) return null;
  if (data.values.length === 1) {
    const [value] = data.values;
    return typeof value === 'boolean' ? Number(value) : value!;
  }
  const values = data.values.map((value) => (typeof value === 'boolean' ? Number(value) : value));
  const sorted = [...values].sort(compareScalars);
  return (criterion.descending ? sorted.at(-1) : sorted[0]) ?? null;
}

/** The `sort` values of a hit. */
export function sortValues(match: Match, specs: SortSpec[]): SortValue[] {
  const values = new Array<SortValue>(specs.length);
  for (let position = 0; position < specs.length; position += 1) values[position] = fieldSortValue(match, specs[position]!);
  return values;
}

/** Compares two sort-value tuples under the criteria (missing values last unless `missing: _first`). */
export function compareSortValues(a: SortValue[], b: SortValue[], specs: SortSpec[]): number {
  for (let position = 0; position < specs.length; position += 1) {
    const criterion = specs[position]!;
    const left = a[position] ?? null;
    const right = b[position] ?? null;
    if (left === null || right === null) {
      if (left === right) continue;
      return (left === null) === criterion.missingFirst ? -1 : 1;
    }
    const order = compareScalars(left, right);
    if (order !== 0) return criterion.descending ? -order : order;
  }
  return 0;
}

/** From this many hits on, sorting every match costs less than keeping the best ones in order. */
const largeSelection = 256;

interface Keyed {
  match: Match;
  key: SortValue[];
}

function searchAfterAnchor(specs: SortSpec[], after: unknown): SortValue[] | undefined {
  if (after === undefined) return undefined;
  if (!Array.isArray(after)) throw parsingError('[search_after] must be an array');
  if (specs.length === 0) throw illegalArgument('Sort must contain at least one field.');
  if (after.length !== specs.length) {
    throw illegalArgument(`search_after has ${after.length} value(s) but sort has ${specs.length}.`);
  }
  return after.map((value: unknown) => (typeof value === 'boolean' ? Number(value) : (value as SortValue)));
}

/** The position at which an entry goes into a list kept in order (entries are never equal: ties fall back to index order). */
function insertionPoint(sorted: Keyed[], entry: Keyed, before: (a: Keyed, b: Keyed) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(entry, sorted[middle]!) < 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The first `count` matches in the order of the criteria (by score descending without any; ties keep index order)
 * that come after the `search_after` values: one pass keeping the best `count` in order, not a sort of every match.
 */
export function topMatches(matches: Match[], specs: SortSpec[], after: unknown, count: number): Match[] {
  const anchor = searchAfterAnchor(specs, after);
  const effective = specs.length === 0 ? [spec('_score', {})] : specs;
  const before = (a: Keyed, b: Keyed) => compareSortValues(a.key, b.key, effective) || a.match.order - b.match.order;
  if (count <= 0) return [];
  const keyOf = (match: Match): Keyed | undefined => {
    const entry = { match, key: sortValues(match, effective) };
    return !anchor || compareSortValues(entry.key, anchor, specs) > 0 ? entry : undefined;
  };
  if (count >= Math.min(matches.length, largeSelection)) {
    const keyed = matches.flatMap((match) => keyOf(match) ?? []);
    return keyed.sort(before).slice(0, count).map((entry) => entry.match);
  }
  const primary = effective[0]!;
  const scoreFirst = primary.field === '_score';
  const top: Keyed[] = [];
  for (const match of matches) {
    const worst = top.length === count ? top[count - 1]! : undefined;
    if (worst && scoreFirst && (primary.descending ? match.score < worst.match.score : match.score > worst.match.score)) continue;
    const entry = keyOf(match);
    if (!entry) continue;
    if (worst && before(entry, worst) >= 0) continue;
    top.splice(insertionPoint(top, entry, before), 0, entry);
    if (top.length > count) top.pop();
  }
  return top.map((entry) => entry.match);
}
