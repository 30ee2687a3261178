import type { AnalyzerRegistry } from '../analysis/analyzers.js';
import { EsError, illegalArgument, mapperParsingError } from '../errors.js';
import type { FieldMapping } from './field-mapping.js';
import { kindOf } from './field-types.js';
import { dynamicPropertyFor } from './dynamic.js';
import { isObject as isRecord } from '../json.js';

/** A mapping property definition as sent in JSON. */
export type PropertyJson = Record<string, unknown> & { type?: string; properties?: Record<string, PropertyJson>; fields?: Record<string, PropertyJson> };

/** The `mappings` object of an index as sent in JSON. */
export type MappingJson = Record<string, unknown> & { dynamic?: unknown; properties?: Record<string, PropertyJson> };

function propertyType(definition: PropertyJson): string {
  return definition.type ?? 'object';
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function fieldFrom(path: string, sourcePath: string, definition: PropertyJson, analyzers: AnalyzerRegistry): FieldMapping {
  const type = propertyType(definition);
  const kind = kindOf(type, path);
  if (type === 'scaled_float' && definition['scaling_factor'] === undefined) {
    throw mapperParsingError(`Field [scaling_factor] is required`);
  }
  for (const key of ['analyzer', 'search_analyzer'] as const) {
    if (definition[key] !== undefined) analyzers.get(String(definition[key]));
  }
  return {
    path,
    sourcePath,
    type,
    kind,
    analyzer: definition['analyzer'] as string | undefined,
    searchAnalyzer: (definition['search_analyzer'] ?? definition['analyzer']) as string | undefined,
    ignoreAbove: optionalNumber(definition['ignore_above']),
    scalingFactor: optionalNumber(definition['scaling_factor']),
    index: definition['index'] !== false,
  };
}

function flatten(properties: Record<string, PropertyJson>, prefix: string, analyzers: AnalyzerRegistry, out: Map<string, FieldMapping>): void {
  for (const [name, definition] of Object.entries(properties)) {
    if (!isRecord(definition)) throw mapperParsingError(`Expected map for property [fields] on field [${name}] but got a class java.lang.String`);
    const path = prefix + name;
    const field = fieldFrom(path, path, definition, analyzers);
    out.set(path, field);
    if (field.kind === 'object') flatten(definition.properties ?? {}, `${path}.`, analyzers, out);
    for (const [subName, subDefinition] of Object.entries(definition.fields ?? {})) {
      out.set(`${path}.${subName}`, fieldFrom(`${path}.${subName}`, path, subDefinition, analyzers));
    }
  }
}

function mergeProperties(target: Record<string, PropertyJson>, update: Record<string, PropertyJson>, prefix: string): void {
  for (const [name, definition] of Object.entries(update)) {
    const existing = target[name];
    if (!existing) {
      target[name] = structuredClone(definition);
      continue;
    }
    if (propertyType(existing) !== propertyType(definition)) {
      throw illegalArgument(`mapper [${prefix}${name}] cannot be changed from type [${propertyType(existing)}] to [${propertyType(definition)}]`);
    }
    if (definition.properties) mergeProperties((existing.properties ??= {}), definition.properties, `${prefix}${name}.`);
    if (definition.fields) Object.assign((existing.fields ??= {}), structuredClone(definition.fields));
  }
}

/** An index's mapping: the JSON tree as Elasticsearch returns it, plus a flat lookup of searchable fields. */
export class Mappings {
  private readonly json: MappingJson;
  private fields = new Map<string, FieldMapping>();

  constructor(json: MappingJson, private readonly analyzers: AnalyzerRegistry) {
    if (!isRecord(json)) throw mapperParsingError('Failed to parse mapping: mappings must be an object');
    this.json = structuredClone(json);
    this.json.properties ??= {};
    this.reflatten();
  }

  private reflatten(): void {
    const fields = new Map<string, FieldMapping>();
    flatten(this.json.properties ?? {}, '', this.analyzers, fields);
    this.fields = fields;
  }

  /** The mapping JSON tree (a copy). */
  toJson(): MappingJson {
    return structuredClone(this.json);
  }

  /** The mapped field at this path (e.g. `name` or `name.keyword`), if any. */
  field(path: string): FieldMapping | undefined {
    return this.fields.get(path);
  }

  /** Every mapped field path. */
  fieldPaths(): string[] {
    return [...this.fields.keys()];
  }

  /** Adds the properties of a `PUT _mapping` body; refuses changes of an existing field's type. */
  merge(update: MappingJson): void {
    const properties = structuredClone(this.json.properties ?? {});
    mergeProperties(properties, update.properties ?? {}, '');
    const previous = this.json.properties;
    this.json.properties = properties;
    try {
      this.reflatten();
    } catch (error) {
      this.json.properties = previous;
      this.reflatten();
      throw error;
    }
    if (update.dynamic !== undefined) this.json.dynamic = update.dynamic;
  }

  /** Maps fields of a new document that the mapping does not know yet; returns true when the mapping grew. */
  addDynamicFields(source: Record<string, unknown>): boolean {
    const dynamic = String(this.json.dynamic ?? 'true');
    if (dynamic === 'false') return false;
    const additions = this.unmappedProperties(source, this.json.properties ?? {}, '', dynamic === 'strict');
    if (Object.keys(additions).length === 0) return false;
    this.merge({ properties: additions });
    return true;
  }

  private unmappedProperties(
    source: Record<string, unknown>,
    known: Record<string, PropertyJson>,
    prefix: string,
    strict: boolean,
  ): Record<string, PropertyJson> {
    const additions: Record<string, PropertyJson> = {};
    for (const [name, value] of Object.entries(source)) {
      const sample = [value].flat().find((item) => item !== null && item !== undefined);
      if (sample === undefined) continue;
      const existing = known[name];
      if (existing) {
        if (propertyType(existing) === 'object' && isRecord(sample)) {
          const nested = this.unmappedProperties(sample, existing.properties ?? {}, `${prefix}${name}.`, strict);
          if (Object.keys(nested).length > 0) additions[name] = { properties: nested };
        }
        continue;
      }
      if (strict) {
        throw new EsError(400, 'strict_dynamic_mapping_exception', `[1:1] mapping set to strict, dynamic introduction of [${prefix}${name}] within [_doc] is not allowed`);
      }
      additions[name] = isRecord(sample) ? { properties: this.unmappedProperties(sample, {}, `${prefix}${name}.`, strict) } : dynamicPropertyFor(sample);
    }
    return additions;
  }
}
