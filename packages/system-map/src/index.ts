export * from './system-map.js';
export * from './derived.js';
export * from './nats-permissions.js';
