import { describe, expect, it } from '@jest/globals';
import { addressVariable, peersOf, serviceNames, storeOwners, systemMap } from '@shop/system-map';
import { DEFAULT_PORTS } from '../src/ports.js';
import { SERVICE_NAMES, serviceAddress, serviceEnvironments } from '../src/service-env.js';
import type { StoreEndpoint, SystemStores } from '../src/stores.js';

const endpoint = (url: string): StoreEndpoint => ({ url, kind: 'embedded', label: url });
const stores: SystemStores = {
  ordersDatabase: endpoint('postgres://orders_svc:o@127.0.0.1:1/orders'),
  ordersReplica: endpoint('postgres://orders_svc:o@127.0.0.1:2/orders'),
  usersDatabase: endpoint('postgres://users_svc:u@127.0.0.1:3/users'),
  productsMongo: endpoint('mongodb://products_svc:p@127.0.0.1:4/products'),
  searchElasticsearch: endpoint('http://search_svc:s@127.0.0.1:5'),
  cartRedis: endpoint('redis://cart_svc:c@127.0.0.1:6'),
  analyticsDuckdb: endpoint('/data/analytics/analytics.duckdb'),
  nats: endpoint('nats://127.0.0.1:7'),
  stop: async () => undefined,
};
const environments = serviceEnvironments(stores, DEFAULT_PORTS, { jwtSecret: 'j'.repeat(32), gatewayHost: '0.0.0.0', logLevel: 'info' });
const storeVariables = storeOwners().flatMap(({ spec }) => [spec.store.urlVariable, ...(spec.store.replicaUrlVariable ? [spec.store.replicaUrlVariable] : [])]);

describe("the launcher's service environments, derived from the system map", () => {
  it('passes a service the tuning variables of the launcher’s environment named with its prefix, never its store URLs or another service’s', () => {
    const inherited = { GATEWAY_RATE_LIMIT_PER_SECOND: '5000', ORDERS_SAGA_GIVE_UP_MS: '9000', ORDERS_DATABASE_URL: 'postgres://elsewhere/orders', HOME: '/root' };
    const tuned = serviceEnvironments(stores, DEFAULT_PORTS, { jwtSecret: 'j'.repeat(32), gatewayHost: '0.0.0.0', logLevel: 'info', inherited });
    expect(tuned.gateway.GATEWAY_RATE_LIMIT_PER_SECOND).toBe('5000');
    expect(tuned.orders.ORDERS_SAGA_GIVE_UP_MS).toBe('9000');
    expect(tuned.orders.ORDERS_DATABASE_URL).toBe(stores.ordersDatabase.url);
    expect(tuned.gateway.ORDERS_SAGA_GIVE_UP_MS).toBeUndefined();
    for (const name of serviceNames) expect(tuned[name].HOME).toBeUndefined();
  });

  it('start the services in the map order', () => {
    expect(SERVICE_NAMES).toEqual(serviceNames);
  });

  it.each(serviceNames)('%s gets its own store URLs and no other service’s', (name) => {
    const store = systemMap[name].store;
    const own = store ? [store.urlVariable, ...(store.replicaUrlVariable ? [store.replicaUrlVariable] : [])] : [];
    expect(Object.keys(environments[name]).filter((variable) => storeVariables.includes(variable)).sort()).toEqual(own.sort());
    const urls = Object.values(environments[name]).join(' ');
    for (const other of storeOwners().filter((owner) => owner.name !== name)) expect(urls).not.toContain(`${other.spec.store.user}:`);
  });

  it.each(serviceNames)('%s gets exactly its peers’ addresses', (name) => {
    const addresses = Object.fromEntries(Object.entries(environments[name]).filter(([variable]) => variable.endsWith('_ADDR')));
    expect(addresses).toEqual(Object.fromEntries(peersOf(name).map((peer) => [addressVariable(peer), serviceAddress(DEFAULT_PORTS, peer)])));
  });

  it('gives orders the products and users addresses and the gateway every other service’s, as before the map', () => {
    expect(Object.keys(environments.orders).filter((variable) => variable.endsWith('_ADDR')).sort()).toEqual(['PRODUCTS_ADDR', 'USERS_ADDR']);
    expect(Object.keys(environments.gateway).filter((variable) => variable.endsWith('_ADDR')).sort()).toEqual(['ANALYTICS_ADDR', 'CART_ADDR', 'ORDERS_ADDR', 'PRODUCTS_ADDR', 'SEARCH_ADDR', 'USERS_ADDR']);
    expect(environments.cart).not.toHaveProperty('PRODUCTS_ADDR');
  });

  it('binds internal services to loopback and the gateway where asked, at the map’s ports', () => {
    for (const name of serviceNames) {
      const prefix = name.toUpperCase();
      expect(environments[name][`${prefix}_HOST`]).toBe(name === 'gateway' ? '0.0.0.0' : '127.0.0.1');
      expect(environments[name][`${prefix}_PORT`]).toBe(String(systemMap[name].port));
    }
  });

  it('gives the bus only to services that publish or consume events', () => {
    const withBus = serviceNames.filter((name) => 'NATS_URL' in environments[name]);
    expect(withBus).toEqual(serviceNames.filter((name) => systemMap[name].publishes.length + systemMap[name].consumes.length > 0));
  });
});
