import type { Client } from '@elastic/elasticsearch';
import type { ProductSearch, SearchCriteria, SearchResult } from '../domain/search.js';
import type { ProductSource } from './product-source.js';
import { searchBody, type RelatedScope } from './search-query.js';
import { emptySearchResult, searchResult } from './search-results.js';

/** Product searches over the live index behind the alias. */
export class EsProductSearch implements ProductSearch {
  constructor(
    private readonly es: Client,
    private readonly alias: string,
  ) {}

  /** One page of hits with totals and facets; a related-products search of a product the index lacks finds nothing. */
  async search(criteria: SearchCriteria): Promise<SearchResult> {
    const related = criteria.relatedToProductId === undefined ? undefined : await this.relatedScope(criteria.relatedToProductId);
    if (related === null) return emptySearchResult();
    const response = await this.es.search<ProductSource>({ index: this.alias, ...searchBody(criteria, related) });
    return searchResult(response, criteria.pageSize);
  }

  private async relatedScope(productId: string): Promise<RelatedScope | null> {
    const found = await this.es.get<Pick<ProductSource, 'category_id' | 'deleted'>>({ index: this.alias, id: productId, _source: ['category_id', 'deleted'] }, { ignore: [404] });
    return found.found && found._source && !found._source.deleted ? { categoryId: found._source.category_id, productId } : null;
  }
}
