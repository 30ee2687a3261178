import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../src/config.js';
import { databaseNameOf } from '../src/storage/mongo-store.js';

const required = { PRODUCTS_MONGO_URL: 'mongodb://127.0.0.1:27017/catalog', NATS_URL: 'nats://127.0.0.1:4222' };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(required)).toEqual({
      host: '127.0.0.1',
      port: 20051,
      mongoUrl: required.PRODUCTS_MONGO_URL,
      natsUrl: required.NATS_URL,
      eventsNamespace: '',
      logLevel: 'info',
    });
  });

  it.each(['PRODUCTS_MONGO_URL', 'NATS_URL'])('names %s when it is missing', (variable) => {
    expect(() => loadConfig({ ...required, [variable]: undefined })).toThrow(`config error: ${variable} is required but not set`);
  });

  it('names a variable with a bad value', () => {
    expect(() => loadConfig({ ...required, PRODUCTS_MONGO_URL: 'http://x' })).toThrow('PRODUCTS_MONGO_URL is invalid');
    expect(() => loadConfig({ ...required, PRODUCTS_PORT: 'abc' })).toThrow('PRODUCTS_PORT is invalid');
    expect(() => loadConfig({ ...required, EVENTS_NAMESPACE: 'a.b' })).toThrow('EVENTS_NAMESPACE is invalid');
  });

  it('takes the database name from the URL path, "products" when there is none', () => {
    expect(databaseNameOf('mongodb://h:1/catalog?replicaSet=rs0')).toBe('catalog');
    expect(databaseNameOf('mongodb://user:pw@h1:1,h2:2/?replicaSet=rs0')).toBe('products');
    expect(databaseNameOf('mongodb+srv://cluster.example.net')).toBe('products');
  });
});
