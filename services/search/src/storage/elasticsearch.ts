import { Client, SniffingTransport, type TransportOptions } from '@elastic/elasticsearch';

/** The client's default transport with its OpenTelemetry spans off (the client does not pass that option through). */
class UntracedTransport extends SniffingTransport {
  constructor(options: TransportOptions) {
    super({ ...options, openTelemetry: { ...options.openTelemetry, enabled: false } });
  }
}

/**
 * An Elasticsearch client for the search index; requests time out rather than hang. Its transport's own spans are
 * switched off unless tracing is (with no tracer they would still cost each request a no-op span and context switch).
 */
export function createElasticsearchClient(url: string, options: { readonly tracing?: boolean } = {}): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2, ...(options.tracing ? {} : { Transport: UntracedTransport }) });
}

/** Names of the indices an alias points at; none when the alias does not exist. */
export async function indicesOfAlias(es: Client, alias: string): Promise<string[]> {
  const response = await es.indices.getAlias({ name: alias }, { ignore: [404], meta: true });
  return response.statusCode === 404 ? [] : Object.keys(response.body);
}
