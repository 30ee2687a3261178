import type { IndexedProduct } from '../src/domain/indexed-product.js';
import type { SearchCriteria } from '../src/domain/search.js';

/**
 * A catalogue shaped like the one the system serves: the launcher's 200 demo products (8 categories x 25 styles), then
 * the load bench's generated products, with some products renamed, restocked and deleted after they were indexed.
 */

const categories = ['shoes', 'shirts', 'jackets', 'bags', 'hats', 'socks', 'watches', 'sunglasses'];
const nouns = ['Shoe', 'Shirt', 'Jacket', 'Bag', 'Hat', 'Socks', 'Watch', 'Sunglasses'];
const styles = 'Trail Classic Urban Alpine Coastal Retro Summit Harbor Meadow Canyon Nordic Desert Metro Forest Island Prairie Glacier Sierra Valley Aurora Drift Ember Granite Willow Cobalt'.split(' ');
const materials = ['leather', 'organic cotton', 'recycled nylon', 'merino wool', 'canvas', 'linen', 'suede', 'waxed cotton'];

function product(productId: string, fields: Omit<IndexedProduct, 'productId' | 'version' | 'deleted' | 'currency'>, version = 1n): IndexedProduct {
  return { productId, version, deleted: false, currency: 'EUR', ...fields };
}

/** The 200 demo products, as the launcher's demo data creates them. */
export function demoCatalogue(): IndexedProduct[] {
  return categories.flatMap((categoryId, c) =>
    styles.map((style, s) =>
      product(`demo-${categoryId}-${s + 1}`, {
        name: `${style} ${nouns[c]}`,
        description: `${style} line ${nouns[c]!.toLowerCase()} in ${materials[(s + c) % materials.length]}, made to last.`,
        categoryId,
        priceMinor: BigInt(999 + ((s * 7 + c * 13) % 40) * 250),
        stock: (s * 3 + c) % 11 === 0 ? 0 : 5 + ((s * 5 + c) % 50),
      }),
    ),
  );
}

/** `count` generated products as the load bench seeds them (2,000 products with the demo ones). */
export function loadCatalogue(count: number): IndexedProduct[] {
  const loadStyles = styles.slice(0, 10);
  return Array.from({ length: count }, (_, n) =>
    product(`load-${n}`, {
      name: `${loadStyles[n % 10]} ${nouns[(n >> 2) % 8]} LOAD ${n}`,
      description: `A ${loadStyles[(n >> 1) % 10]!.toLowerCase()} bench item, number ${n}.`,
      categoryId: categories[n % 8]!,
      priceMinor: BigInt(999 + (n % 40) * 250),
      stock: n % 13 === 0 ? 0 : 1_000_000,
    }),
  );
}

/** Later snapshots of some products: renamed, out of stock, and deleted (tombstones), each at version 2. */
export function laterSnapshots(products: readonly IndexedProduct[]): IndexedProduct[] {
  return products.flatMap((original, n) => {
    if (n % 37 === 5) return [{ ...original, version: 2n, name: `${original.name} Classic Edition`, description: `${original.description} Now with a classic shoe lace.` }];
    if (n % 41 === 7) return [{ ...original, version: 2n, stock: 0 }];
    if (n % 53 === 11) return [{ ...original, version: 2n, deleted: true, name: '', description: '', categoryId: '', currency: '', priceMinor: 0n, stock: 0 }];
    return [];
  });
}

const criteria = (query: string, more: Partial<SearchCriteria> = {}): SearchCriteria => ({ query, categoryIds: [], inStockOnly: false, pageSize: 20, ...more });

/** Searches a shopper makes: the load bench's, misspelt, filtered, faceted, empty, and one page size of each kind. */
export const shopperSearches: ReadonlyArray<{ readonly name: string; readonly criteria: SearchCriteria }> = [
  { name: 'classic shoe (the load bench)', criteria: criteria('classic shoe') },
  { name: 'misspelt', criteria: criteria('clasic sheo') },
  { name: 'one word', criteria: criteria('trail', { pageSize: 5 }) },
  { name: 'description words', criteria: criteria('merino wool made to last') },
  { name: 'filtered by categories, price and stock', criteria: criteria('urban jacket', { categoryIds: ['jackets', 'bags'], minPriceMinor: 2000n, maxPriceMinor: 9000n, inStockOnly: true }) },
  { name: 'numbers', criteria: criteria('bench item number 42') },
  { name: 'no text, in stock', criteria: criteria('', { inStockOnly: true, pageSize: 50 }) },
  { name: 'no text, one category, price floor', criteria: criteria('', { categoryIds: ['watches'], minPriceMinor: 5000n }) },
  { name: 'no match', criteria: criteria('zzzyx') },
  { name: 'large page', criteria: criteria('bag hat', { pageSize: 100 }) },
];
