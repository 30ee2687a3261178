import type { RunnableMigration } from 'umzug';
import type { MigrationContext } from '../src/storage/migrations.js';
import * as v1 from './V1__create_products.js';
import * as v2 from './V2__create_reservations.js';
import * as v3 from './V3__create_outbox.js';
import * as v4 from './V4__allow_released_reservation_tombstones.js';

/** Every migration of the products database, oldest first, named after its file; a new file is added here too. */
export const productMigrations: ReadonlyArray<RunnableMigration<MigrationContext>> = [
  { name: 'V1__create_products', up: v1.up },
  { name: 'V2__create_reservations', up: v2.up },
  { name: 'V3__create_outbox', up: v3.up },
  { name: 'V4__allow_released_reservation_tombstones', up: v4.up },
];
