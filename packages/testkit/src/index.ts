export * from './test-stores.js';
export * from './databases.js';
export * from './service-process.js';
export * from './shop-services.js';
export * from './process-tree.js';
export * from './eventually.js';
export * from './connect-errors.js';
export * from './tcp-proxy.js';
