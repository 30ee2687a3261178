/** A generated product catalogue for the stand-in's benches: fixed vocabularies, and a rare series word per 50 products. */

/** How many products share one series word. */
export const seriesSize = 50;

/** The mapping of the generated products (as the search service maps its index). */
export const benchMappings = {
  properties: {
    product_id: { type: 'keyword' },
    name: { type: 'text', analyzer: 'english' },
    description: { type: 'text', analyzer: 'english' },
    category_id: { type: 'keyword' },
    price_minor: { type: 'long' },
    in_stock: { type: 'boolean' },
    deleted: { type: 'boolean' },
  },
} as const;

const colours = ['red', 'blue', 'green', 'black', 'white', 'grey', 'yellow', 'orange', 'purple', 'brown'];
const materials = ['leather', 'canvas', 'wool', 'cotton', 'steel', 'oak', 'bamboo', 'linen', 'suede', 'denim'];
const nouns = ['boot', 'shoe', 'jacket', 'sock', 'hat', 'scarf', 'glove', 'bag', 'belt', 'shirt', 'lamp', 'chair', 'table', 'mug', 'kettle', 'pan', 'knife', 'watch', 'tent', 'bottle'];
const filler = 'light warm durable soft classic modern sturdy handmade everyday travel outdoor comfortable breathable waterproof compact elegant simple premium casual rugged'.split(' ');
const categories = Array.from({ length: 20 }, (_, position) => `category-${position}`);

/** The invented word shared by one series of products (each series has {@link seriesSize} products). */
export function seriesWord(position: number): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  let word = '';
  for (let rest = position + 400; rest > 0; rest = Math.floor(rest / letters.length)) word += letters[rest % letters.length] + 'aeiou'[rest % 5]!;
  return word;
}

/** The product document at a position of the generated catalogue. */
export function benchProduct(position: number, random: () => number) {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const series = seriesWord(Math.floor(position / seriesSize));
  return {
    product_id: `p-${String(position).padStart(6, '0')}`,
    name: `${pick(colours)} ${pick(materials)} ${pick(nouns)} ${series}`,
    description: Array.from({ length: 12 }, () => pick(filler)).join(' '),
    category_id: pick(categories),
    price_minor: Math.floor(random() * 50_000),
    in_stock: random() < 0.7,
    deleted: false,
  };
}

/** A deterministic pseudo-random sequence in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

