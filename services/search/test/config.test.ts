import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../src/config.js';

const required = { SEARCH_ELASTICSEARCH_URL: 'http://127.0.0.1:9200', NATS_URL: 'nats://127.0.0.1:4222' };

describe('search configuration', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(required)).toMatchObject({ host: '127.0.0.1', port: 20055, indexAlias: 'products', productsAddress: '127.0.0.1:20051', eventsNamespace: '' });
    expect(loadConfig(required).eventBatches).toEqual({ maxEvents: 128, lingerMs: 10 });
    expect(loadConfig({ ...required, SEARCH_BATCH_MAX_EVENTS: '1', SEARCH_BATCH_LINGER_MS: '0' }).eventBatches).toEqual({ maxEvents: 1, lingerMs: 0 });
  });

  it('traces Elasticsearch requests only when the OTEL_* variables turn tracing on', () => {
    expect(loadConfig(required).traceElasticsearch).toBe(false);
    expect(loadConfig({ ...required, OTEL_TRACES_EXPORTER: 'otlp' }).traceElasticsearch).toBe(true);
    expect(loadConfig({ ...required, OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).traceElasticsearch).toBe(false);
  });

  it('fails naming the variable that is missing or invalid', () => {
    expect(() => loadConfig({ NATS_URL: required.NATS_URL })).toThrow('config error: SEARCH_ELASTICSEARCH_URL is required but not set');
    expect(() => loadConfig({ ...required, SEARCH_INDEX_ALIAS: 'Products!' })).toThrow('SEARCH_INDEX_ALIAS is invalid');
    expect(() => loadConfig({ ...required, PRODUCTS_ADDR: 'nowhere' })).toThrow('PRODUCTS_ADDR is invalid');
    expect(() => loadConfig({ ...required, SEARCH_BATCH_MAX_EVENTS: '0' })).toThrow('SEARCH_BATCH_MAX_EVENTS is invalid');
    expect(() => loadConfig({ ...required, SEARCH_BATCH_LINGER_MS: 'soon' })).toThrow('SEARCH_BATCH_LINGER_MS is invalid');
  });
});
