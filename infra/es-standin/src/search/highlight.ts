import type { Token } from '../analysis/token.js';
import { illegalArgument } from '../errors.js';
import { indexAnalyzer } from '../mapping/document-fields.js';
import type { FieldMapping } from '../mapping/field-mapping.js';
import { valuesAt } from '../mapping/field-values.js';
import type { EsIndex } from '../store/es-index.js';
import { wildcardMatcher } from '../store/index-names.js';
import type { StoredDocument } from '../store/stored-document.js';
import { isObject, type JsonObject } from './query/clause-body.js';
import type { HighlightTerms } from './query/query.js';

/** Parsed `highlight` options. */
export interface HighlightRequest {
  fields: [string, JsonObject][];
  global: JsonObject;
}

/** Parses the `highlight` body option (fields as an object or a list of single-field objects). */
export function parseHighlight(raw: unknown): HighlightRequest | undefined {
  if (!isObject(raw)) return undefined;
  checkHighlightOptions(raw, ['fields', ...highlightOptions]);
  const fields = Array.isArray(raw['fields'])
    ? raw['fields'].flatMap((entry: unknown) => (isObject(entry) ? Object.entries(entry) : []))
    : Object.entries(isObject(raw['fields']) ? raw['fields'] : {});
  const parsed = fields.map(([name, options]): [string, JsonObject] => [name, isObject(options) ? options : {}]);
  for (const [, options] of parsed) checkHighlightOptions(options, highlightOptions);
  return { fields: parsed, global: raw };
}

const highlightOptions = ['pre_tags', 'post_tags', 'fragment_size', 'number_of_fragments', 'require_field_match', 'type'];

function checkHighlightOptions(options: JsonObject, allowed: string[]): void {
  const unknown = Object.keys(options).find((key) => !allowed.includes(key));
  if (unknown) throw illegalArgument(`[highlight] the es-standin (development/test stand-in) does not support [${unknown}]`);
  if (options['type'] !== undefined && options['type'] !== 'unified') {
    throw illegalArgument(`[highlight] the es-standin highlights as the unified highlighter only; [type: ${String(options['type'])}] is not supported`);
  }
}

function option<T>(field: JsonObject, global: JsonObject, key: string, fallback: T): T {
  return (field[key] ?? global[key] ?? fallback) as T;
}

function markUp(text: string, tokens: Token[], preTag: string, postTag: string): string {
  let result = '';
  let cursor = 0;
  for (const token of tokens) {
    result += text.slice(cursor, token.start) + preTag + text.slice(token.start, token.end) + postTag;
    cursor = token.end;
  }
  return result + text.slice(cursor);
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

function fragmentsOf(text: string, matched: Token[], fragmentSize: number, tags: [string, string]): string[] {
  if (text.length <= fragmentSize) return [markUp(text, matched, ...tags)];
  const fragments: string[] = [];
  for (const sentence of sentenceSegmenter.segment(text)) {
    const end = sentence.index + sentence.segment.length;
    const inside = matched.filter((token) => token.start >= sentence.index && token.end <= end);
    if (inside.length === 0) continue;
    const shifted = inside.map((token) => ({ ...token, start: token.start - sentence.index, end: token.end - sentence.index }));
    fragments.push(markUp(sentence.segment, shifted, ...tags).trim());
  }
  return fragments;
}

const cachedDocuments = 2_000;
const analysedSources = new Map<StoredDocument, Map<string, Token[][]>>();

/** The analysed tokens of each source value of a text field, kept for recently highlighted documents. */
function analysedValues(doc: StoredDocument, path: string, texts: string[], analyse: (text: string) => Token[]): Token[][] {
  let byField = analysedSources.get(doc);
  if (!byField) {
    if (analysedSources.size >= cachedDocuments) analysedSources.delete(analysedSources.keys().next().value!);
    analysedSources.set(doc, (byField = new Map()));
  }
  let tokens = byField.get(path);
  if (!tokens) byField.set(path, (tokens = texts.map(analyse)));
  return tokens;
}

/** How one field of a request's hits is highlighted: settled once per request and index, applied to every hit. */
interface FieldPlan {
  path: string;
  field: FieldMapping;
  terms: Set<string>;
  tags: [string, string];
  fragmentCount: number;
  fragmentSize: number;
  analyse: (text: string) => Token[];
}

function planField(index: EsIndex, path: string, terms: Set<string>, options: JsonObject, global: JsonObject): FieldPlan | undefined {
  const field = index.mappings.field(path);
  if (!field || (field.kind !== 'text' && field.kind !== 'keyword')) return undefined;
  const tags: [string, string] = [
    [option<unknown>(options, global, 'pre_tags', ['<em>'])].flat().map(String)[0] ?? '<em>',
    [option<unknown>(options, global, 'post_tags', ['</em>'])].flat().map(String)[0] ?? '</em>',
  ];
  const fragmentCount = Number(option(options, global, 'number_of_fragments', 5));
  const fragmentSize = fragmentCount === 0 ? Infinity : Number(option(options, global, 'fragment_size', 100));
  const analyse = field.kind === 'text' ? indexAnalyzer(field, index.analyzers) : (text: string) => [{ term: text, position: 0, start: 0, end: text.length }];
  return { path, field, terms, tags, fragmentCount, fragmentSize, analyse };
}

function highlightField(plan: FieldPlan, doc: StoredDocument): string[] {
  const { path, field, terms, tags, fragmentCount, fragmentSize, analyse } = plan;
  const texts = valuesAt(doc.source, field.sourcePath).map(String);
  const analysed = field.kind === 'text' ? analysedValues(doc, path, texts, analyse) : texts.map(analyse);
  const fragments = texts.flatMap((text, position) => {
    const matched = analysed[position]!.filter((token) => terms.has(token.term));
    return matched.length === 0 ? [] : fragmentsOf(text, matched, fragmentSize, tags);
  });
  return fragmentCount === 0 ? fragments : fragments.slice(0, fragmentCount);
}

function termsFor(path: string, queryTerms: HighlightTerms, requireFieldMatch: boolean): Set<string> {
  if (requireFieldMatch) return queryTerms.get(path) ?? new Set();
  return new Set([...queryTerms.values()].flatMap((set) => [...set]));
}

function planFields(request: HighlightRequest, index: EsIndex, queryTerms: HighlightTerms): FieldPlan[] {
  return request.fields.flatMap(([pattern, options]) => {
    const requireFieldMatch = option<unknown>(options, request.global, 'require_field_match', true) !== false;
    const paths = pattern.includes('*') ? index.mappings.fieldPaths().filter(wildcardMatcher(pattern)) : [pattern];
    return paths.flatMap((path) => planField(index, path, termsFor(path, queryTerms, requireFieldMatch), options, request.global) ?? []);
  });
}

/** The plans of the request being answered, by the query terms of each index it searches. */
const plans = new WeakMap<HighlightTerms, { request: HighlightRequest; index: EsIndex; fields: FieldPlan[] }>();

function plannedFields(request: HighlightRequest, index: EsIndex, queryTerms: HighlightTerms): FieldPlan[] {
  const known = plans.get(queryTerms);
  if (known && known.request === request && known.index === index) return known.fields;
  const fields = planFields(request, index, queryTerms);
  plans.set(queryTerms, { request, index, fields });
  return fields;
}

/** The `highlight` section of one hit: matched terms wrapped in tags, per requested field that has a match. */
export function highlightHit(request: HighlightRequest, index: EsIndex, doc: StoredDocument, queryTerms: HighlightTerms): Record<string, string[]> | undefined {
  const result: Record<string, string[]> = {};
  for (const plan of plannedFields(request, index, queryTerms)) {
    const fragments = highlightField(plan, doc);
    if (fragments.length > 0) result[plan.path] = fragments;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}
