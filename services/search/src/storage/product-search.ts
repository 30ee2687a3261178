import type { Client } from '@elastic/elasticsearch';
import type { ProductSearch, SearchCriteria, SearchResult } from '../domain/search.js';
import type { ProductSource } from './product-source.js';
import { searchBody, searchResponseFilter } from './search-query.js';
import { searchResult } from './search-results.js';
import { elasticsearchRefusal } from './store-outage.js';

/** Product searches over the live index behind the alias. */
export class EsProductSearch implements ProductSearch {
  constructor(
    private readonly es: Client,
    private readonly alias: string,
  ) {}

  /**
   * One page of hits with totals and facets, in one Elasticsearch request; a related-products search of a product the
   * index lacks finds nothing. A refusal of the index as it stands (missing, or mapped otherwise) is FAILED_PRECONDITION.
   */
  async search(criteria: SearchCriteria): Promise<SearchResult> {
    const response = await this.es
      .search<ProductSource>({ index: this.alias, filter_path: searchResponseFilter, ...searchBody(criteria, this.alias) })
      .catch((error: unknown) => {
        throw elasticsearchRefusal(error, 'search') ?? error;
      });
    return searchResult(response, criteria);
  }
}
