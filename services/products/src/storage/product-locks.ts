import { Mutex } from 'async-mutex';

/**
 * In-process locks over product ids, striped so memory stays bounded. Transactions alone keep stock correct across
 * instances; these locks only queue this instance's writes to the same product so they do not abort one another.
 */
export class ProductLocks {
  private readonly stripes: Mutex[];

  constructor(stripeCount = 64) {
    this.stripes = Array.from({ length: stripeCount }, () => new Mutex());
  }

  /** Runs fn holding the locks of every given product id, taken in a fixed order. */
  async withLocks<T>(productIds: readonly string[], fn: () => Promise<T>): Promise<T> {
    const stripes = [...new Set(productIds.map((id) => this.stripeOf(id)))].sort((a, b) => a - b);
    const releases: Array<() => void> = [];
    try {
      for (const stripe of stripes) releases.push(await this.stripes[stripe]!.acquire());
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private stripeOf(id: string): number {
    let hash = 0;
    for (let index = 0; index < id.length; index += 1) hash = (hash * 31 + id.charCodeAt(index)) >>> 0;
    return hash % this.stripes.length;
  }
}
