import { illegalArgument } from '../errors.js';

/** Parameters every endpoint accepts. */
const globalParameters = ['pretty', 'filter_path'];

/** Parameters Elasticsearch knows on some endpoint that the stand-in does not implement (named as such when sent). */
const knownToElasticsearch = new Set([
  'human', 'error_trace', 'format', 'source', 'source_content_type', 'pipeline', 'stored_fields', 'explain', 'stats', 'terminate_after',
  'typed_keys', 'scroll', 'scroll_id', 'search_type', 'suggest_field', 'suggest_mode', 'suggest_size', 'suggest_text', 'analyze_wildcard', 'lenient',
  'docvalue_fields', 'include_named_queries_score', 'flat_settings', 'include_defaults', 'local', 'write_index_only', 'require_data_stream',
  'list_executed_pipelines', 'include_source_on_error', 'max_docs', 'slices', 'wait_for_completion', 'requests_per_second', 'scroll_size',
  'search_timeout', 'conflicts', 'analyzer', 'force_synthetic_source', 'allow_partial_search_results', 'batched_reduce_size',
  'ccs_minimize_roundtrips', 'max_concurrent_shard_requests', 'pre_filter_shard_size', 'request_cache', 'level', 'wait_for_status',
  'wait_for_nodes', 'wait_for_events', 'wait_for_no_relocating_shards', 'wait_for_no_initializing_shards', 'wait_for_active_shards',
  'timeout', 'master_timeout', 'realtime', 'refresh', 'preference', 'version', 'version_type', 'retry_on_conflict', 'lang', 'expand_wildcards',
  'ignore_throttled', 'op_type', 'if_seq_no', 'if_primary_term', 'routing', 'require_alias', 'q', 'df', 'default_operator', 'from', 'size',
  'sort', '_source', '_source_includes', '_source_excludes', 'track_total_hits', 'track_scores', 'min_score', 'seq_no_primary_term',
  'rest_total_hits_as_int', 'ignore_unavailable', 'allow_no_indices', 'project_routing',
]);

/**
 * Refuses query-string parameters the route does not accept, as Elasticsearch refuses unknown ones
 * (`request [<path>] contains unrecognized parameter: [x]`); one Elasticsearch knows but the stand-in does not implement
 * is named as unsupported.
 */
export function checkParameters(path: string, parameters: URLSearchParams, accepted: readonly string[]): void {
  const refused = [...new Set(parameters.keys())].filter((name) => !accepted.includes(name) && !globalParameters.includes(name));
  if (refused.length === 0) return;
  const unsupported = refused.filter((name) => knownToElasticsearch.has(name));
  if (unsupported.length > 0) {
    throw illegalArgument(
      `request [${path}] contains parameter${unsupported.length > 1 ? 's' : ''} ${unsupported.map((name) => `[${name}]`).join(', ')} that the es-standin (development/test stand-in for Elasticsearch) does not support on this endpoint`,
    );
  }
  const plural = refused.length > 1 ? 'parameters' : 'parameter';
  throw illegalArgument(`request [${path}] contains unrecognized ${plural}: ${refused.map((name) => `[${name}]`).join(', ')}`);
}

/** Index-resolution options shared by multi-index read endpoints. */
export const indicesOptions = ['ignore_unavailable', 'allow_no_indices', 'expand_wildcards'] as const;
