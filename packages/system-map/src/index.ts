export * from './system-map.js';
export * from './derived.js';
