import { Client, errors } from '@elastic/elasticsearch';

/** An Elasticsearch client for the search index; requests time out rather than hang. */
export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2 });
}

/** True for a 409 version conflict: the index already holds this or a newer version of the document. */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 409;
}

/** Names of the indices an alias points at; none when the alias does not exist. */
export async function indicesOfAlias(es: Client, alias: string): Promise<string[]> {
  const response = await es.indices.getAlias({ name: alias }, { ignore: [404], meta: true });
  return response.statusCode === 404 ? [] : Object.keys(response.body);
}
