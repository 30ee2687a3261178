import type { IndexMigration } from '../src/storage/index-migration.js';
import { v1ProductsIndex } from './V1__products_index.js';

/** Every mapping version of the product index, oldest first; the last one is what new indices get. */
export const indexMigrations: readonly IndexMigration[] = [v1ProductsIndex];

/** The mapping new indices get. */
export const latestIndexMigration: IndexMigration = indexMigrations.at(-1)!;
