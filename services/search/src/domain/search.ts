/** What a search asks for, validated. */
export interface SearchCriteria {
  readonly query: string;
  readonly categoryIds: readonly string[];
  readonly minPriceMinor?: bigint;
  readonly maxPriceMinor?: bigint;
  readonly inStockOnly: boolean;
  /** Only products of this product's category, itself left out. */
  readonly relatedToProductId?: string;
  readonly pageSize: number;
  /** Only the hits: no total and no facets, which are then not computed. */
  readonly hitsOnly?: boolean;
  /** Position after the last hit of the previous page. */
  readonly after?: SearchPosition;
}

/** A hit's place in the ranking: score, then product id. */
export interface SearchPosition {
  readonly score: number;
  readonly productId: string;
}

/** One found product. */
export interface FoundProduct {
  readonly productId: string;
  readonly name: string;
  readonly categoryId: string;
  readonly currency: string;
  readonly priceMinor: bigint;
  readonly inStock: boolean;
  readonly score: number;
  readonly version: bigint;
  readonly highlights: ReadonlyMap<string, readonly string[]>;
}

/** Hits of one price range. */
export interface PriceRangeCount {
  readonly key: string;
  readonly fromMinor: bigint;
  /** Exclusive upper bound; undefined for the open last range. */
  readonly toMinor?: bigint;
  readonly count: number;
}

/** One page of a search with the totals and facets of all its hits. */
export interface SearchResult {
  readonly hits: readonly FoundProduct[];
  readonly totalSize: number;
  readonly categories: ReadonlyArray<{ readonly categoryId: string; readonly count: number }>;
  readonly priceRanges: readonly PriceRangeCount[];
  /** Set when more hits follow this page. */
  readonly next?: SearchPosition;
}

/** Runs searches over the projection. */
export interface ProductSearch {
  search(criteria: SearchCriteria): Promise<SearchResult>;
}
