import type { AnalyzerRegistry } from '../analysis/analyzers.js';
import { documentParsingError, EsError } from '../errors.js';
import type { FieldMapping } from './field-mapping.js';
import { coerceValue, valuesAt, type IndexedValue } from './field-values.js';
import type { Mappings } from './mappings.js';

/** The terms of one analysed text field: frequency and positions per term, and the field length. */
export interface TextFieldData {
  kind: 'text';
  positions: Map<string, number[]>;
  length: number;
}

/** The exact values of a keyword, numeric, boolean or date field. */
export interface ValueFieldData {
  kind: 'values';
  values: IndexedValue[];
}

/** What the stand-in indexes for one field of one document. */
export type FieldData = TextFieldData | ValueFieldData;

/** Indexed data of a document, by field path. */
export type DocumentFields = Map<string, FieldData>;

const positionGap = 100;

/** The analyzer a text field uses at index time. */
export function indexAnalyzer(field: FieldMapping, analyzers: AnalyzerRegistry) {
  return field.analyzer ? analyzers.get(field.analyzer) : analyzers.defaultAnalyzer();
}

/** The analyzer a text field uses for query text. */
export function searchAnalyzer(field: FieldMapping, analyzers: AnalyzerRegistry) {
  return field.searchAnalyzer ? analyzers.get(field.searchAnalyzer) : indexAnalyzer(field, analyzers);
}

function analyseText(field: FieldMapping, values: unknown[], analyzers: AnalyzerRegistry): TextFieldData {
  const analyzer = indexAnalyzer(field, analyzers);
  const positions = new Map<string, number[]>();
  let offset = 0;
  let length = 0;
  for (const value of values) {
    const tokens = analyzer(typeof value === 'object' ? JSON.stringify(value) : String(value));
    for (const token of tokens) {
      const list = positions.get(token.term) ?? [];
      list.push(offset + token.position);
      positions.set(token.term, list);
    }
    length += tokens.length;
    offset += (tokens.at(-1)?.position ?? 0) + positionGap;
  }
  return { kind: 'text', positions, length };
}

function exactValues(field: FieldMapping, values: unknown[], id: string): IndexedValue[] {
  const kept = field.ignoreAbove === undefined ? values : values.filter((value) => String(value).length <= field.ignoreAbove!);
  return kept.map((value) => {
    try {
      return coerceValue(field, value);
    } catch (error) {
      if (!(error instanceof EsError)) throw error;
      const preview = typeof value === 'object' ? JSON.stringify(value) : String(value);
      throw documentParsingError(
        `[1:1] failed to parse field [${field.path}] of type [${field.type}] in document with id '${id}'. Preview of field's value: '${preview}'`,
        error,
      );
    }
  });
}

/** Analyses a source document into indexed fields according to the mapping. */
export function indexDocument(id: string, source: Record<string, unknown>, mappings: Mappings, analyzers: AnalyzerRegistry): DocumentFields {
  const fields: DocumentFields = new Map();
  for (const path of mappings.fieldPaths()) {
    const field = mappings.field(path)!;
    if (!field.index || field.kind === 'object' || field.kind === 'unindexed') continue;
    const values = valuesAt(source, field.sourcePath);
    if (values.length === 0) continue;
    if (field.kind === 'text') fields.set(path, analyseText(field, values, analyzers));
    else fields.set(path, { kind: 'values', values: exactValues(field, values, id) });
  }
  return fields;
}
