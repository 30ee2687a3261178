import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addressVariable, peersOf, systemMap } from '@shop/system-map';
import { healthStatus } from '@shop/runtime';
import { shopServiceNames, startShopServices, type ShopServices } from '../src/index.js';

describe('startShopServices, driven by the system map', () => {
  let shop: ShopServices;

  beforeAll(async () => {
    shop = await startShopServices();
  }, 180_000);
  afterAll(() => shop?.stop());

  it('starts every store-owning service of the map, SERVING', async () => {
    expect(Object.keys(shop.processes).sort()).toEqual([...shopServiceNames].sort());
    for (const name of shopServiceNames) expect(await healthStatus(shop.processes[name].address)).toBe('SERVING');
  });

  it.each(shopServiceNames)('gives %s its own store variable and its peers’ addresses only', (name) => {
    const environment = shop.environments[name];
    const addresses = Object.keys(environment).filter((variable) => variable.endsWith('_ADDR'));
    expect(addresses.sort()).toEqual(peersOf(name).map(addressVariable).sort());
    for (const peer of peersOf(name)) expect(environment[addressVariable(peer)]).toBe(shop.processes[peer as keyof typeof shop.processes].address);
    for (const other of shopServiceNames.filter((service) => service !== name)) expect(environment).not.toHaveProperty(systemMap[other].store!.urlVariable);
    expect(environment).toHaveProperty(systemMap[name].store!.urlVariable);
  });
});
