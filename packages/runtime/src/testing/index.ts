export * from './health.js';
export * from './fuzz/index.js';
