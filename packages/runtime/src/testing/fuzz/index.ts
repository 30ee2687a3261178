export * from './random.js';
export * from './request-generator.js';
export * from './raw-calls.js';
export * from './fuzz-run.js';
