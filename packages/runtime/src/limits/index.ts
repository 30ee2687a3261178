export * from './field-bounds.js';
export * from './status-message.js';
export * from './server-protection.js';
export * from './caller-rate-limit.js';
export * from './undecodable.js';
