/** Extra fields Elasticsearch attaches to an error cause (index, index_uuid, shard, line, col, header...). */
export type ErrorDetails = Record<string, string | number | Record<string, string[]> | undefined>;

/** An Elasticsearch-shaped failure: HTTP status, exception type, reason and detail fields. */
export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly details: ErrorDetails = {},
    readonly causedBy?: EsError,
  ) {
    super(reason);
  }

  /** The error cause object as it appears inside `error` and `root_cause`. */
  causeObject(): Record<string, unknown> {
    const own = { type: this.type, reason: this.reason, ...definedOnly(this.details) };
    return this.causedBy ? { ...own, caused_by: this.causedBy.causeObject() } : own;
  }

  /** The innermost causes, as Elasticsearch lists them in `root_cause`. */
  rootCauses(): Record<string, unknown>[] {
    const inner = this.causedBy ?? this;
    return [{ type: inner.type, reason: inner.reason, ...definedOnly(inner.details) }];
  }

  /** HTTP response headers the error carries in its `header` detail (such as `WWW-Authenticate`). */
  httpHeaders(): Record<string, string> {
    const header = this.details['header'];
    if (typeof header !== 'object') return {};
    return Object.fromEntries(Object.entries(header).map(([name, values]) => [name, values.join(', ')]));
  }

  /** The full JSON error body: `{ error: {...}, status }`. */
  toBody(): Record<string, unknown> {
    return { error: { root_cause: this.rootCauses(), ...this.causeObject() }, status: this.status };
  }
}

function definedOnly(details: ErrorDetails): ErrorDetails {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}

/** 404 for a missing index or alias name. */
export function indexNotFound(index: string): EsError {
  return new EsError(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });
}

/** 400 for creating an index that already exists. */
export function indexAlreadyExists(index: string, uuid: string): EsError {
  return new EsError(400, 'resource_already_exists_exception', `index [${index}/${uuid}] already exists`, {
    index_uuid: uuid,
    index,
  });
}

/** 400 for a malformed request parameter or body value. */
export function illegalArgument(reason: string): EsError {
  return new EsError(400, 'illegal_argument_exception', reason);
}

/** 400 for a body that is structurally wrong (unknown query, unknown key). */
export function parsingError(reason: string): EsError {
  return new EsError(400, 'parsing_exception', reason, { line: 1, col: 1 });
}

/** 400 for a body that is not valid JSON. */
export function contentParseError(reason: string): EsError {
  return new EsError(400, 'x_content_parse_exception', `[1:1] ${reason}`);
}

/** 409 for a write refused by optimistic concurrency control. */
export function versionConflict(index: string, uuid: string, id: string, detail: string): EsError {
  return new EsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${detail}`, {
    index_uuid: uuid,
    shard: '0',
    index,
  });
}

/** 400 for a mapping definition the stand-in or Elasticsearch would reject. */
export function mapperParsingError(reason: string): EsError {
  return new EsError(400, 'mapper_parsing_exception', reason);
}

/** 400 for a document value that does not fit its mapped field type. */
export function documentParsingError(reason: string, cause: EsError): EsError {
  return new EsError(400, 'document_parsing_exception', reason, {}, cause);
}

/** 400 for sorting or aggregating on a text field, which has no doc values. */
export function fielddataDisabled(field: string, index: string): EsError {
  return illegalArgument(
    `Fielddata is disabled on [${field}] in [${index}]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
  );
}

/** 400 for sorting or aggregating on `_id`, which Elasticsearch 9 refuses by default. */
export function idFielddataDisabled(): EsError {
  return illegalArgument(
    'Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled',
  );
}

/** Wraps a failure raised while executing a search, as Elasticsearch reports shard failures. */
export function searchPhaseFailure(cause: EsError): EsError {
  return new EsError(cause.status, 'search_phase_execution_exception', 'all shards failed', { phase: 'query', grouped: 'true' }, cause);
}

/** The challenge Elasticsearch sends with a 401 when basic authentication is enabled. */
export const basicAuthenticationChallenge = 'Basic realm="security", charset="UTF-8"';

function authenticationError(reason: string): EsError {
  return new EsError(401, 'security_exception', reason, { header: { 'WWW-Authenticate': [basicAuthenticationChallenge] } });
}

/** 401 for a request without (basic) credentials while users are configured. */
export function authenticationMissing(uri: string): EsError {
  return authenticationError(`missing authentication credentials for REST request [${uri}]`);
}

/** 401 for an unknown user or a wrong password. */
export function authenticationFailed(username: string, uri: string): EsError {
  return authenticationError(`unable to authenticate user [${username}] for REST request [${uri}]`);
}

/** 403 for an authenticated user acting on indices none of its patterns grant. */
export function actionUnauthorized(action: string, username: string, indices: string[], privileges: string[]): EsError {
  return new EsError(
    403,
    'security_exception',
    `action [${action}] is unauthorized for user [${username}] on indices [${indices.join(',')}], this action is granted by the index privileges [${privileges.join(',')}]`,
  );
}
