/** One fixed price bucket of the price facet, in minor units: from inclusive, to exclusive. */
export interface PriceRange {
  readonly key: string;
  readonly fromMinor: number;
  readonly toMinor?: number;
}

const boundsMinor = [0, 1000, 2500, 5000, 10000];

/** The price facet's buckets: under 10, 10–25, 25–50, 50–100 and 100 or more currency units. */
export const priceRanges: readonly PriceRange[] = boundsMinor.map((fromMinor, position) => {
  const toMinor = boundsMinor[position + 1];
  return { key: `${fromMinor}-${toMinor ?? '*'}`, fromMinor, ...(toMinor === undefined ? {} : { toMinor }) };
});
