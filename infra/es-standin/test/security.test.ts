import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@elastic/elasticsearch';
import { startEsStandin, type EsStandin, type UserConfig } from '../src/index.js';
import { failureOf, usesExternalServer } from './harness.js';

const users: UserConfig[] = [
  { username: 'admin', password: 'admin-secret', indices: ['*'] },
  { username: 'catalog', password: 'catalog-secret', indices: ['products*'] },
];

/** A stand-in started by this suite over a temp data dir, with clients made on demand. */
async function startSecured(options: { users?: UserConfig[] }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-standin-security-'));
  const standin: EsStandin = await startEsStandin({ port: 0, dataDir, log: () => undefined, ...options });
  const clients: Client[] = [];
  return {
    url: standin.url,
    client(auth?: { username: string; password: string }) {
      const client = new Client({ node: standin.url, ...(auth ? { auth } : {}) });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.close()));
      await standin.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const describeOwnServer = usesExternalServer ? describe.skip : describe;

describeOwnServer('security: basic authentication and per-index authorization', () => {
  let server: Awaited<ReturnType<typeof startSecured>>;
  let admin: Client;
  let catalog: Client;
  beforeAll(async () => {
    server = await startSecured({ users });
    admin = server.client({ username: 'admin', password: 'admin-secret' });
    catalog = server.client({ username: 'catalog', password: 'catalog-secret' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 401 security_exception to a request without credentials, GET / included', async () => {
    const failure = await failureOf(server.client().info());
    expect(failure.status).toBe(401);
    expect(failure.body.error.type).toBe('security_exception');
    expect(failure.body.error.reason).toBe('missing authentication credentials for REST request [/]');
    expect((await failureOf(server.client().search({ index: 'products' }))).status).toBe(401);
  });

  it('sends the basic authentication challenge with a 401', async () => {
    const response = await fetch(`${server.url}/_cluster/health`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="security", charset="UTF-8"');
    expect(response.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  it('answers 401 to a wrong password and to an unknown user', async () => {
    const wrong = await failureOf(server.client({ username: 'catalog', password: 'nope' }).info());
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.type).toBe('security_exception');
    expect(wrong.body.error.reason).toBe('unable to authenticate user [catalog] for REST request [/]');
    expect((await failureOf(server.client({ username: 'nobody', password: 'catalog-secret' }).info())).status).toBe(401);
  });

  it('still answers 401 to a wrong password of a user whose right password was just accepted (and cached)', async () => {
    await catalog.info();
    const failure = await failureOf(server.client({ username: 'catalog', password: 'catalog-secret-wrong' }).info());
    expect(failure.status).toBe(401);
    expect(failure.body.error.reason).toBe('unable to authenticate user [catalog] for REST request [/]');
    expect((await catalog.info()).tagline).toBeDefined();
  });

  it('lets any authenticated user reach cluster-level endpoints', async () => {
    expect((await catalog.info()).version.number).toMatch(/^9\./);
    expect((await catalog.cluster.health()).status).toBe('green');
  });

  it('lets a products* user create, index, search and swap an alias over products indices', async () => {
    await catalog.indices.create({ index: 'products_v1', mappings: { properties: { name: { type: 'text' } } } });
    await catalog.index({ index: 'products_v1', id: '1', document: { name: 'red kettle' } });
    await catalog.indices.create({ index: 'products_v2' });
    await catalog.index({ index: 'products_v2', id: '2', document: { name: 'blue kettle' } });
    await catalog.indices.updateAliases({ actions: [{ add: { index: 'products_v1', alias: 'products' } }] });
    expect((await catalog.search({ index: 'products', query: { match: { name: 'kettle' } } })).hits.hits.map((hit) => hit._id)).toEqual(['1']);
    await catalog.indices.updateAliases({
      actions: [{ remove: { index: 'products_v1', alias: 'products' } }, { add: { index: 'products_v2', alias: 'products' } }],
    });
    expect((await catalog.search({ index: 'products' })).hits.hits.map((hit) => hit._id)).toEqual(['2']);
    expect(Object.keys(await catalog.indices.getAlias({ name: 'products' }))).toEqual(['products_v2']);
    expect((await catalog.count({ index: 'products*' })).count).toBe(2);
    await catalog.indices.refresh({ index: 'products_v1' });
  });

  it('answers 403 security_exception when a products* user creates, writes or searches orders', async () => {
    const create = await failureOf(catalog.indices.create({ index: 'orders' }));
    expect(create.status).toBe(403);
    expect(create.body.error.type).toBe('security_exception');
    expect(create.body.error.reason).toMatch(/^action \[indices:admin\/create\] is unauthorized for user \[catalog\] on indices \[orders\]/);
    const write = await failureOf(catalog.index({ index: 'orders', id: '1', document: { total: 3 } }));
    expect(write.status).toBe(403);
    expect(write.body.error.reason).toMatch(/^action \[indices:data\/write\/index\] is unauthorized/);
    const search = await failureOf(catalog.search({ index: 'orders' }));
    expect(search.status).toBe(403);
    expect(search.body.error.reason).toMatch(/^action \[indices:data\/read\/search\] is unauthorized/);
    expect((await failureOf(catalog.search({ index: 'products_v1,orders' }))).status).toBe(403);
    expect(await admin.indices.exists({ index: 'orders' })).toBe(false);
  });

  it('refuses a wildcard or index-less request a products* user does not fully cover', async () => {
    expect((await failureOf(catalog.search({}))).status).toBe(403);
    expect((await failureOf(catalog.search({ index: 'o*' }))).status).toBe(403);
    expect((await failureOf(catalog.indices.getAlias({}))).status).toBe(403);
  });

  it('refuses alias actions naming an index or an alias outside the grant, as a whole', async () => {
    const foreignAlias = await failureOf(catalog.indices.updateAliases({ actions: [{ add: { index: 'products_v1', alias: 'orders' } }] }));
    expect(foreignAlias.status).toBe(403);
    expect(foreignAlias.body.error.reason).toMatch(/^action \[indices:admin\/aliases\] is unauthorized for user \[catalog\] on indices \[orders\]/);
    expect((await failureOf(catalog.indices.putAlias({ index: 'products_v1', name: 'orders_view' }))).status).toBe(403);
    expect(Object.keys(await catalog.indices.getAlias({ index: 'products_v1' }))).toEqual(['products_v1']);
  });

  it('fails only the bulk items addressing indices outside the grant, with a per-item 403', async () => {
    const response = await catalog.bulk({
      operations: [{ index: { _index: 'products_v1', _id: '3' } }, { name: 'green kettle' }, { index: { _index: 'orders', _id: '1' } }, { total: 3 }, { delete: { _index: 'products_v2', _id: '2' } }],
    });
    expect(response.errors).toBe(true);
    const [allowed, denied, deleted] = response.items;
    expect(allowed?.index?.status).toBe(201);
    expect(denied?.index?.status).toBe(403);
    expect(denied?.index?.error?.type).toBe('security_exception');
    expect(denied?.index?.error?.reason).toMatch(/unauthorized for user \[catalog\] on indices \[orders\]/);
    expect(deleted?.delete?.status).toBe(200);
    expect(await admin.indices.exists({ index: 'orders' })).toBe(false);
  });

  it('refuses a multi-get naming an index outside the grant', async () => {
    expect((await failureOf(catalog.mget({ docs: [{ _index: 'products_v1', _id: '1' }, { _index: 'orders', _id: '1' }] }))).status).toBe(403);
    expect((await catalog.mget({ docs: [{ _index: 'products_v1', _id: '1' }] })).docs).toHaveLength(1);
  });

  it('refuses a terms lookup reading a document from an index outside the grant', async () => {
    await admin.index({ index: 'lookup_lists', id: 'picks', document: { names: ['kettle'] }, refresh: true });
    const denied = await failureOf(catalog.search({ index: 'products_v1', query: { terms: { name: { index: 'lookup_lists', id: 'picks', path: 'names' } } } }));
    expect(denied.status).toBe(403);
    expect(denied.body.error.reason).toMatch(/^action \[indices:data\/read\/get\] is unauthorized for user \[catalog\] on indices \[lookup_lists\]/);
    await admin.indices.delete({ index: 'lookup_lists' });
  });

  it('lets a * user reach every index, alias and index-less endpoint', async () => {
    await admin.indices.create({ index: 'orders' });
    await admin.index({ index: 'orders', id: '1', document: { total: 3 } });
    await admin.indices.putAlias({ index: 'orders', name: 'orders_view' });
    expect((await admin.search({ index: 'orders_view' })).hits.hits).toHaveLength(1);
    expect((await admin.count({})).count).toBe(3);
    expect((await admin.cluster.health({ index: 'orders' })).status).toBe('green');
    await admin.indices.delete({ index: 'products_v2' });
    expect((await failureOf(catalog.cluster.health({ index: 'orders' }))).status).toBe(403);
    expect((await failureOf(catalog.indices.delete({ index: 'orders' }))).status).toBe(403);
    expect((await failureOf(catalog.get({ index: 'orders', id: '1' }))).status).toBe(403);
  });
});

describeOwnServer('security: off without users', () => {
  let server: Awaited<ReturnType<typeof startSecured>>;
  beforeAll(async () => {
    server = await startSecured({});
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers every request without credentials as before', async () => {
    const client = server.client();
    expect((await client.info()).version.number).toMatch(/^9\./);
    await client.indices.create({ index: 'orders' });
    await client.index({ index: 'orders', id: '1', document: { total: 3 } });
    expect((await client.search({})).hits.hits).toHaveLength(1);
    const response = await fetch(`${server.url}/_cluster/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('ignores credentials it does not need', async () => {
    expect((await server.client({ username: 'anyone', password: 'anything' }).count({ index: 'orders' })).count).toBe(1);
  });
});
