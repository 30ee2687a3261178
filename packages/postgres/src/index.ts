export * from './queryable.js';
export * from './named-statement.js';
export * from './transaction.js';
export * from './outbox.js';
export * from './migrations.js';
export * from './store-outage.js';
export * from './server-start.js';
