import type { IndexedProduct } from './indexed-product.js';

/** The source of truth a rebuild reads: the products API, page by page. */
export interface ProductCatalog {
  /** How many products there are, when the catalog can tell. */
  count(): Promise<number | undefined>;
  pages(pageSize: number): AsyncIterable<readonly IndexedProduct[]>;
}

/** A new index being filled behind the live one. */
export interface IndexBuild {
  readonly indexName: string;
  /** Writes products, keeping any newer version already written by the event indexer. */
  write(products: readonly IndexedProduct[]): Promise<void>;
  /** Points the alias at the new index in one atomic step; resolves the name of the index it pointed at before. */
  swap(): Promise<string | undefined>;
  /** Deletes the index the alias pointed at before the swap. */
  retire(previousIndexName: string): Promise<void>;
  /** Deletes the new index; the live one is untouched. */
  abort(): Promise<void>;
}

/** Starts index builds. */
export interface IndexBuilder {
  begin(): Promise<IndexBuild>;
}

/** Progress of a rebuild: products indexed so far and the expected total when known. */
export type RebuildProgress = (indexed: number, total: number | undefined) => void;

/** The outcome of a rebuild. */
export interface RebuildOutcome {
  readonly indexName: string;
  readonly documentCount: number;
  readonly previousIndexName?: string;
}

/** Rebuilds the projection from the catalog into a new index, then swaps the alias to it. */
export async function rebuildProjection(catalog: ProductCatalog, builder: IndexBuilder, pageSize: number, progress: RebuildProgress = () => {}): Promise<RebuildOutcome> {
  const total = await catalog.count();
  const build = await builder.begin();
  let documentCount = 0;
  let previousIndexName: string | undefined;
  try {
    progress(0, total);
    for await (const page of catalog.pages(pageSize)) {
      await build.write(page);
      documentCount += page.length;
      progress(documentCount, total);
    }
    previousIndexName = await build.swap();
  } catch (error) {
    await build.abort();
    throw error;
  }
  if (previousIndexName) await build.retire(previousIndexName);
  return { indexName: build.indexName, documentCount, ...(previousIndexName ? { previousIndexName } : {}) };
}

/** Rebuilds the projection behind the alias from the catalog. */
export type ProjectionRebuild = (pageSize: number, progress?: RebuildProgress) => Promise<RebuildOutcome>;

/** A rebuild of the projection from this catalog with this builder. */
export function projectionRebuild(catalog: ProductCatalog, builder: IndexBuilder): ProjectionRebuild {
  return (pageSize, progress) => rebuildProjection(catalog, builder, pageSize, progress);
}
