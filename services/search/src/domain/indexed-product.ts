/** A product as the search projection holds it; a deleted product stays as a tombstone so late older events cannot revive it. */
export interface IndexedProduct {
  readonly productId: string;
  /** The products service's version of this snapshot; a write with a version not above the held one is ignored. */
  readonly version: bigint;
  readonly deleted: boolean;
  readonly name: string;
  readonly description: string;
  readonly categoryId: string;
  readonly currency: string;
  readonly priceMinor: bigint;
  readonly stock: number;
}

/** The tombstone of a deleted product at the version of its deletion. */
export function tombstone(productId: string, version: bigint): IndexedProduct {
  return { productId, version, deleted: true, name: '', description: '', categoryId: '', currency: '', priceMinor: 0n, stock: 0 };
}

/** The newest snapshot of each product among the given ones, in the order each product first appears. */
export function newestPerProduct(products: readonly IndexedProduct[]): IndexedProduct[] {
  const newest = new Map<string, IndexedProduct>();
  for (const product of products) {
    const held = newest.get(product.productId);
    if (!held || product.version > held.version) newest.set(product.productId, product);
  }
  return [...newest.values()];
}

/** Where product snapshots are written: the live index and, during a rebuild, the index being built. */
export interface ProductWriter {
  /**
   * Writes the snapshots, all or (by throwing) possibly not all: each unless the index already holds this or a newer
   * version of its product, so the outcome equals writing them one by one in any order. Resolves how many were applied.
   */
  writeAll(products: readonly IndexedProduct[]): Promise<number>;
}
