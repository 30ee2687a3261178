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

/** Where product snapshots are written: the live index and, during a rebuild, the index being built. */
export interface ProductWriter {
  /** Writes the snapshot unless the index already holds this or a newer version; resolves whether it was applied. */
  write(product: IndexedProduct): Promise<boolean>;
}
