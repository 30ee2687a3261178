import type { DocumentFields, FieldData } from '../mapping/document-fields.js';
import type { IndexedValue } from '../mapping/field-values.js';

/** A set of document numbers (the store's internal, insertion-ordered ordinals); a Set is one. */
export interface DocNumbers {
  readonly size: number;
  has(docNo: number): boolean;
  [Symbol.iterator](): Iterator<number>;
}

/** The postings of one term of a text field: the documents holding it, each with its frequency of the term. */
class TermPostings implements DocNumbers {
  readonly frequencies = new Map<number, number>();

  get size(): number {
    return this.frequencies.size;
  }

  has(docNo: number): boolean {
    return this.frequencies.has(docNo);
  }

  [Symbol.iterator](): Iterator<number> {
    return this.frequencies.keys();
  }
}

/** One field's analysed data of every live document, by document number (undefined where a document lacks it). */
export type FieldColumn = ReadonlyArray<FieldData | undefined>;

/** One field's values sorted ascending with the document holding each, for range lookups. */
interface SortedDocValues {
  values: IndexedValue[];
  docs: number[];
}

const empty: DocNumbers = new Set<number>();
const noPostings = new TermPostings();

function compareValues(a: IndexedValue, b: IndexedValue): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addTo<K>(map: Map<K, Set<number>>, key: K, docNo: number): void {
  const set = map.get(key);
  if (set) set.add(docNo);
  else map.set(key, new Set([docNo]));
}

function removeFrom<K>(map: Map<K, Set<number>> | undefined, key: K, docNo: number): void {
  const set = map?.get(key);
  if (!set) return;
  set.delete(docNo);
  if (set.size === 0) map!.delete(key);
}

function addPosting(map: Map<string, TermPostings>, term: string, docNo: number, frequency: number): void {
  let postings = map.get(term);
  if (!postings) map.set(term, (postings = new TermPostings()));
  postings.frequencies.set(docNo, frequency);
}

function removePosting(map: Map<string, TermPostings> | undefined, term: string, docNo: number): void {
  const postings = map?.get(term);
  if (!postings) return;
  postings.frequencies.delete(docNo);
  if (postings.size === 0) map!.delete(term);
}

function nested<K, V>(map: Map<string, Map<K, V>>, field: string): Map<K, V> {
  let inner = map.get(field);
  if (!inner) map.set(field, (inner = new Map()));
  return inner;
}

/**
 * The inverted index of one index: postings per term of every text field, as document numbers and as each document's
 * frequency of the term (what scoring reads per posting; positions stay in each document's analysed fields), per-value
 * postings of exact-value fields, the documents holding each field, each field's data as a column by document number
 * (what scoring, sorting and aggregations read per document, one array access instead of a lookup in the document's
 * own map), and doc values sorted per field (built on first use after a write) for range queries.
 */
export class InvertedIndex {
  private readonly termPostings = new Map<string, Map<string, TermPostings>>();
  private readonly valuePostings = new Map<string, Map<IndexedValue, Set<number>>>();
  private readonly fieldDocs = new Map<string, Set<number>>();
  private readonly sorted = new Map<string, SortedDocValues>();
  private readonly columns = new Map<string, (FieldData | undefined)[]>();

  /** Adds a document's analysed fields under its number. */
  add(docNo: number, fields: DocumentFields): void {
    this.sorted.clear();
    for (const [field, data] of fields) {
      this.writableColumn(field)[docNo] = data;
      addTo(this.fieldDocs, field, docNo);
      if (data.kind === 'text') {
        const postings = nested(this.termPostings, field);
        for (const [term, positions] of data.positions) addPosting(postings, term, docNo, positions.length);
      } else for (const value of data.values) addTo(nested(this.valuePostings, field), value, docNo);
    }
  }

  /** Removes a document's analysed fields. */
  remove(docNo: number, fields: DocumentFields): void {
    this.sorted.clear();
    for (const [field, data] of fields) {
      this.writableColumn(field)[docNo] = undefined;
      removeFrom(this.fieldDocs, field, docNo);
      if (data.kind === 'text') for (const term of data.positions.keys()) removePosting(this.termPostings.get(field), term, docNo);
      else for (const value of data.values) removeFrom(this.valuePostings.get(field), value, docNo);
    }
  }

  /** The field's data by document number; the same array for the index's lifetime, kept current by every write. */
  column(field: string): FieldColumn {
    return this.writableColumn(field);
  }

  private writableColumn(field: string): (FieldData | undefined)[] {
    let column = this.columns.get(field);
    if (!column) this.columns.set(field, (column = []));
    return column;
  }

  /** Documents whose text field holds the term. */
  termDocs(field: string, term: string): DocNumbers {
    return this.termPostings.get(field)?.get(term) ?? noPostings;
  }

  /** The term's frequency in each document whose text field holds it, by document number. */
  termFrequenciesOf(field: string, term: string): ReadonlyMap<number, number> {
    return (this.termPostings.get(field)?.get(term) ?? noPostings).frequencies;
  }

  /** Documents whose exact-value field holds the value. */
  valueDocs(field: string, value: IndexedValue): DocNumbers {
    return this.valuePostings.get(field)?.get(value) ?? empty;
  }

  /** The distinct values of an exact-value field. */
  values(field: string): Iterable<IndexedValue> {
    return this.valuePostings.get(field)?.keys() ?? [];
  }

  /** Documents that hold the field (any value, or an analysed text). */
  docsWithField(field: string): DocNumbers {
    return this.fieldDocs.get(field) ?? empty;
  }

  /** Every field path some document holds. */
  fields(): Iterable<string> {
    return this.fieldDocs.keys();
  }

  /** Documents with a value of an exact-value field between the bounds, found by binary search over sorted doc values. */
  rangeDocs(field: string, lower: { value: IndexedValue; inclusive: boolean } | undefined, upper: { value: IndexedValue; inclusive: boolean } | undefined): DocNumbers {
    const { values, docs } = this.sortedValues(field);
    const start = lower ? this.boundary(values, lower.value, lower.inclusive ? 'first-at-or-above' : 'first-above') : 0;
    const end = upper ? this.boundary(values, upper.value, upper.inclusive ? 'first-above' : 'first-at-or-above') : values.length;
    const found = new Set<number>();
    for (let position = start; position < end; position += 1) found.add(docs[position]!);
    return found;
  }

  private boundary(values: IndexedValue[], bound: IndexedValue, kind: 'first-above' | 'first-at-or-above'): number {
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareValues(values[middle]!, bound);
      if (order < 0 || (order === 0 && kind === 'first-above')) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private sortedValues(field: string): SortedDocValues {
    const cached = this.sorted.get(field);
    if (cached) return cached;
    const pairs: [IndexedValue, number][] = [];
    for (const [value, docs] of this.valuePostings.get(field) ?? []) for (const docNo of docs) pairs.push([value, docNo]);
    pairs.sort((a, b) => compareValues(a[0], b[0]));
    const built = { values: pairs.map((pair) => pair[0]), docs: pairs.map((pair) => pair[1]) };
    this.sorted.set(field, built);
    return built;
  }
}
