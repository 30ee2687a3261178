import { mapperParsingError } from '../errors.js';
import { isObject as isRecord } from '../json.js';
import type { MappingJson, PropertyJson } from './mappings.js';

const rootKeys = new Set(['properties', 'dynamic', '_meta']);
const knownRootKeys = new Set(['_source', '_routing', 'dynamic_templates', 'date_detection', 'numeric_detection', 'runtime', 'subobjects', 'dynamic_date_formats', '_field_names', '_data_stream_timestamp']);

const implemented = new Set(['type', 'fields', 'properties', 'index', 'store', 'meta', 'eager_global_ordinals', 'dynamic', 'analyzer', 'search_analyzer', 'ignore_above', 'scaling_factor', 'term_vector']);

/** Parameters accepted only with the value that changes nothing in the stand-in (Elasticsearch's default). */
const defaultOnly: Record<string, (type: string) => unknown[]> = {
  doc_values: () => [true],
  enabled: () => [true],
  fielddata: () => [false],
  coerce: () => [true],
  ignore_malformed: () => [false],
  norms: (type) => (type === 'text' ? [true] : [false]),
  format: (type) => (type === 'date' ? ['strict_date_optional_time||epoch_millis', 'strict_date_optional_time', 'date_optional_time||epoch_millis'] : []),
};

const knownParameters = new Set([
  'copy_to', 'normalizer', 'null_value', 'index_options', 'position_increment_gap', 'similarity', 'locale', 'split_queries_on_whitespace',
  'time_series_dimension', 'time_series_metric', 'on_script_error', 'script', 'boost', 'index_prefixes', 'index_phrases', 'search_quote_analyzer',
  'fielddata_frequency_filter', 'ignore_z_value', 'orientation', 'dims', 'element_type', 'max_shingle_size', 'include_in_parent',
  'include_in_root', 'path', 'value', 'precision_step', 'depth_limit', 'positive_score_impact', 'relations', 'synthetic_source_keep',
]);

function checkProperty(path: string, definition: PropertyJson): void {
  const type = definition.type ?? 'object';
  for (const [key, value] of Object.entries(definition)) {
    if (implemented.has(key)) continue;
    const allowedValues = defaultOnly[key]?.(type);
    if (allowedValues?.includes(value)) continue;
    if (allowedValues || knownParameters.has(key)) {
      throw mapperParsingError(`the es-standin (development/test stand-in) does not support [${key}: ${JSON.stringify(value)}] on field [${path}] of type [${type}]`);
    }
    throw mapperParsingError(`unknown parameter [${key}] on mapper [${path}] of type [${type}]`);
  }
  for (const [name, child] of Object.entries(definition.properties ?? {})) if (isRecord(child)) checkProperty(`${path}.${name}`, child as PropertyJson);
  for (const [name, child] of Object.entries(definition.fields ?? {})) if (isRecord(child)) checkProperty(`${path}.${name}`, child as PropertyJson);
}

/** Refuses mapping parameters the stand-in does not implement, naming them (Elasticsearch's own message for unknown ones). */
export function validateMappingJson(json: MappingJson): void {
  if (!isRecord(json)) return;
  for (const key of Object.keys(json)) {
    if (rootKeys.has(key)) continue;
    if (knownRootKeys.has(key)) throw mapperParsingError(`the es-standin (development/test stand-in) does not support the mapping parameter [${key}]`);
    throw mapperParsingError(`Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(json[key])}]`);
  }
  for (const [name, definition] of Object.entries(json.properties ?? {})) if (isRecord(definition)) checkProperty(name, definition as PropertyJson);
}
