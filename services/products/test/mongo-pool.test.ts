import { describe, expect, it } from '@jest/globals';
import { testStores } from '@shop/testkit';
import { defaultMaxPoolSize, MongoStore } from '../src/storage/mongo-store.js';

describe("the products store's connection pool", () => {
  it('keeps at most the default number of connections unless the URL sets maxPoolSize', async () => {
    const url = new URL(testStores().mongoUrl);
    url.pathname = '/pool_test';
    const byDefault = await MongoStore.connect(url.toString());
    url.searchParams.set('maxPoolSize', '3');
    const fromUrl = await MongoStore.connect(url.toString());
    try {
      expect(byDefault.client.options.maxPoolSize).toBe(defaultMaxPoolSize);
      expect(fromUrl.client.options.maxPoolSize).toBe(3);
      const reads = await Promise.all(Array.from({ length: 4 * defaultMaxPoolSize }, () => byDefault.ping()));
      expect(reads).toHaveLength(4 * defaultMaxPoolSize);
    } finally {
      await Promise.all([byDefault.close(), fromUrl.close()]);
    }
  });
});
