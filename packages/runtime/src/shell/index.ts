export * from './resource-stack.js';
export * from './service-config.js';
export * from './store-errors.js';
export * from './entry-point.js';
