import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { addressVariable, peersOf, serviceNames, systemMap, variablePrefix, type ServiceName } from '@shop/system-map';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface HealthCheck {
  test?: string | string[];
}
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: unknown[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: HealthCheck;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Resolves ${VAR:-default} and $$ the way compose does with no variable set; a reference without a default fails. */
function interpolateWithDefaults(text: string): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    if (fallback === undefined) throw new Error(`compose variable ${name} has no default`);
    return fallback;
  });
}

const rawCompose = read('docker-compose.yml');
const compose = parse(interpolateWithDefaults(rawCompose)) as ComposeFile;
const services = compose.services;

function environmentOf(name: string): Record<string, string> {
  const environment = services[name]?.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value ?? '')]));
}

function dependenciesOf(name: string): Record<string, string | undefined> {
  const dependsOn = services[name]?.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((dependency) => [dependency, undefined]));
  return Object.fromEntries(Object.entries(dependsOn).map(([dependency, options]) => [dependency, options.condition]));
}

const words = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

/** The variables a service's config.ts reads: those it declares, plus those of the runtime atoms it builds on. */
function configVariables(name: ServiceName): Set<string> {
  const source = read(`services/${name}/src/config.ts`);
  const declared = [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
  const prefix = variablePrefix(name);
  const basics = source.includes(`serviceBasics('${name}'`) ? [`${prefix}_HOST`, `${prefix}_PORT`, 'LOG_LEVEL'] : [];
  const bus = source.includes('busSettings(') ? ['NATS_URL', 'EVENTS_NAMESPACE'] : [];
  return new Set([...declared, ...basics, ...bus]);
}

interface Ownership {
  readonly port: number;
  readonly stores: Record<string, string>;
  readonly user?: string;
  /** Compose variables holding this service's store secrets. */
  readonly secrets: readonly string[];
}

/** The compose service that runs the store behind each store variable of the system map. */
const COMPOSE_STORE_HOSTS: Record<string, string> = {
  PRODUCTS_MONGO_URL: 'products-mongo',
  ORDERS_DATABASE_URL: 'orders-db',
  ORDERS_DATABASE_REPLICA_URL: 'orders-db-replica',
  USERS_DATABASE_URL: 'users-db',
  CART_REDIS_URL: 'cart-redis',
  SEARCH_ELASTICSEARCH_URL: 'search-elasticsearch',
};

/** Compose variables holding each service's store secrets. */
const COMPOSE_SECRETS: Record<ServiceName, readonly string[]> = {
  products: ['PRODUCTS_MONGO_PASSWORD', 'MONGO_ROOT_PASSWORD'],
  orders: ['ORDERS_DB_PASSWORD', 'ORDERS_DB_ADMIN_PASSWORD', 'ORDERS_REPLICATION_PASSWORD'],
  users: ['USERS_DB_PASSWORD', 'USERS_DB_ADMIN_PASSWORD'],
  cart: ['CART_REDIS_PASSWORD', 'REDIS_ADMIN_PASSWORD'],
  search: ['SEARCH_ES_PASSWORD', 'ELASTIC_PASSWORD'],
  gateway: ['GATEWAY_JWT_SECRET'],
};

/** What the system map says a service owns, with the compose hosts of its stores. */
function ownershipOf(name: ServiceName): Ownership {
  const store = systemMap[name].store;
  const variables = store ? [store.urlVariable, ...(store.replicaUrlVariable ? [store.replicaUrlVariable] : [])] : [];
  return {
    port: systemMap[name].port,
    stores: Object.fromEntries(variables.map((variable) => [variable, COMPOSE_STORE_HOSTS[variable] ?? `no compose store for ${variable}`])),
    ...(store ? { user: store.user } : {}),
    secrets: COMPOSE_SECRETS[name],
  };
}

const OWNERSHIP = Object.fromEntries(serviceNames.map((name) => [name, ownershipOf(name)])) as Record<ServiceName, Ownership>;
const SERVICE_NAMES = serviceNames;
const STORE_SERVICES = ['products-mongo', 'orders-db', 'orders-db-replica', 'users-db', 'cart-redis', 'search-elasticsearch', 'nats'];

/** The value each compose secret variable gets with no .env (its default). */
function secretDefaults(): Record<string, string> {
  return Object.fromEntries([...rawCompose.matchAll(/\$\{([A-Z_]+(?:PASSWORD|SECRET))(?::?-([^}]*))?\}/g)].map((match) => [match[1]!, match[2] ?? '']));
}

describe('docker-compose.yml services', () => {
  it.each(SERVICE_NAMES)('%s runs from the shared image with its own main.ts', (name) => {
    const service = services[name];
    expect(service).toBeDefined();
    expect(service?.build).toBeDefined();
    expect(words(service?.command)).toBe(`node --import tsx --import @shop/runtime/telemetry/register services/${name}/src/main.ts`);
  });

  it.each(SERVICE_NAMES)('%s sets only variables its config.ts reads, listening on 0.0.0.0 at its port', (name) => {
    const environment = environmentOf(name);
    const known = configVariables(name);
    expect(Object.keys(environment).filter((key) => !known.has(key) && !key.startsWith('OTEL_'))).toEqual([]);
    const prefix = variablePrefix(name);
    expect(environment[`${prefix}_HOST`]).toBe('0.0.0.0');
    const portVariable = [`${prefix}_PORT`, `${prefix}_GRPC_PORT`].find((variable) => variable in environment);
    expect(environment[portVariable ?? `${prefix}_PORT`]).toBe(String(OWNERSHIP[name].port));
  });

  it.each(SERVICE_NAMES)('%s gets exactly its own store variables and its peers’ addresses from the system map, nothing else’s', (name) => {
    const environment = environmentOf(name);
    const storeVariables = Object.keys(environment).filter((variable) => variable in COMPOSE_STORE_HOSTS);
    expect(storeVariables.sort()).toEqual(Object.keys(OWNERSHIP[name].stores).sort());
    const addresses = Object.fromEntries(Object.entries(environment).filter(([variable]) => variable.endsWith('_ADDR')));
    expect(addresses).toEqual(Object.fromEntries(peersOf(name).map((peer) => [addressVariable(peer), `${peer}:${systemMap[peer].port}`])));
  });

  it('runs no service the system map does not name, and every store variable of the map has its compose store', () => {
    const runners = Object.entries(services).flatMap(([name, service]) => (/services\/[^/]+\/src\/main\.ts/.test(words(service.command)) ? [name] : []));
    expect(runners.sort()).toEqual([...serviceNames].sort());
    for (const name of serviceNames) for (const host of Object.values(OWNERSHIP[name].stores)) expect(services[host]).toBeDefined();
  });

  it.each(SERVICE_NAMES.filter((name) => name !== 'gateway'))('%s reaches its own store as its own user', (name) => {
    const { stores, user } = OWNERSHIP[name];
    const environment = environmentOf(name);
    for (const [variable, host] of Object.entries(stores)) {
      const url = new URL(environment[variable] ?? 'missing:');
      expect({ variable, user: decodeURIComponent(url.username), host: url.hostname }).toEqual({ variable, user, host });
      expect(url.password).not.toBe('');
      expect(services[host]).toBeDefined();
      expect(dependenciesOf(name)[host]).toBe('service_healthy');
    }
    expect(environment.NATS_URL).toBe('nats://nats:4222');
    expect(dependenciesOf(name).nats).toBe('service_healthy');
  });

  it.each(SERVICE_NAMES)('%s holds no other service\'s store URL, user or secret', (name) => {
    const environment = environmentOf(name);
    const defaults = secretDefaults();
    const serialized = JSON.stringify(environment);
    for (const [other, ownership] of Object.entries(OWNERSHIP)) {
      if (other === name) continue;
      for (const variable of Object.keys(ownership.stores)) expect(Object.keys(environment)).not.toContain(variable);
      for (const host of Object.values(ownership.stores)) expect(serialized).not.toContain(`@${host}:`);
      if (ownership.user) expect(serialized).not.toContain(ownership.user);
      for (const secret of ownership.secrets) {
        expect(rawCompose.split(/^ {2}(?=[a-z])/m).find((block) => block.startsWith(`${name}:`))).not.toContain(`\${${secret}`);
        expect(defaults[secret]).toBeTruthy();
        expect(serialized).not.toContain(defaults[secret]!);
      }
    }
  });

  it.each(SERVICE_NAMES)('%s is healthy only through the grpc.health.v1 script on its own port', (name) => {
    expect(words(services[name]?.healthcheck?.test)).toContain(`node --import tsx deploy/healthcheck.ts 127.0.0.1:${OWNERSHIP[name].port}`);
  });

  it('publishes ports for the gateway only: gRPC 50050 and HTTP 8080 (and the Jaeger and Prometheus UIs on loopback)', () => {
    const publishing = Object.entries(services).filter(([, service]) => (service.ports ?? []).length > 0).map(([name]) => name);
    expect(publishing).toEqual(['gateway', 'jaeger', 'prometheus']);
    for (const ui of ['jaeger', 'prometheus']) for (const port of services[ui]?.ports ?? []) expect(String(port)).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    expect((services.gateway?.ports ?? []).map(String).sort()).toEqual(['50050:50050', '8080:8080']);
    expect(environmentOf('gateway').GATEWAY_HTTP_PORT).toBe('8080');
  });

  it('starts the gateway after every service it composes is healthy, with their addresses on the network', () => {
    const dependencies = dependenciesOf('gateway');
    const environment = environmentOf('gateway');
    for (const name of SERVICE_NAMES.filter((service) => service !== 'gateway')) {
      expect(dependencies[name]).toBe('service_healthy');
      expect(environment[addressVariable(name)]).toBe(`${name}:${OWNERSHIP[name].port}`);
    }
    expect((environment.GATEWAY_JWT_SECRET ?? '').length).toBeGreaterThanOrEqual(32);
  });

  it('sends orders writes to the primary and reads to a replica on a different host', () => {
    const environment = environmentOf('orders');
    const primary = new URL(environment.ORDERS_DATABASE_URL ?? 'missing:');
    const replica = new URL(environment.ORDERS_DATABASE_REPLICA_URL ?? 'missing:');
    expect(primary.hostname).not.toBe(replica.hostname);
    expect(primary.pathname).toBe('/orders');
    expect(replica.pathname).toBe('/orders');
    expect(environment.PRODUCTS_ADDR).toBe('products:50051');
    expect(environment.USERS_ADDR).toBe('users:50053');
  });

  it('keeps every secret overridable, with defaults marked change-me', () => {
    const defaults = secretDefaults();
    expect(Object.keys(defaults).length).toBeGreaterThanOrEqual(10);
    for (const [variable, fallback] of Object.entries(defaults)) expect({ variable, fallback }).toEqual({ variable, fallback: expect.stringContaining('change-me') });
    for (const value of Object.values(defaults)) expect(value).toMatch(/^[A-Za-z0-9._~-]+$/);
  });
});

describe('docker-compose.yml stores', () => {
  it.each(STORE_SERVICES)('%s exists with a health check', (name) => {
    const healthcheck = services[name]?.healthcheck;
    expect(words(healthcheck?.test).length).toBeGreaterThan(0);
  });

  it('runs the expected servers: PostgreSQL 17, MongoDB 7, Redis 7, Elasticsearch 8 or 9, NATS 2.10', () => {
    expect(services['orders-db']?.image).toBe('postgres:17');
    expect(services['orders-db-replica']?.image).toBe('postgres:17');
    expect(services['users-db']?.image).toBe('postgres:17');
    expect(services['products-mongo']?.image).toBe('mongo:7');
    expect(services['cart-redis']?.image).toBe('redis:7');
    expect(services['search-elasticsearch']?.image).toMatch(/elasticsearch:(8|9)\./);
    expect(services.nats?.image).toMatch(/^nats:2\.10/);
    expect(words(services.nats?.command)).toContain('--jetstream');
    expect(environmentOf('search-elasticsearch')['discovery.type']).toBe('single-node');
  });

  it('creates the orders and users roles with private databases through the postgres init script', () => {
    const script = read('deploy/postgres/10-service-database.sh');
    expect(script).toMatch(/CREATE ROLE :"role" WITH LOGIN PASSWORD :'password'/);
    expect(script).toMatch(/CREATE DATABASE :"db" OWNER :"role"/);
    expect(script).toMatch(/REVOKE CONNECT, TEMPORARY ON DATABASE :"db" FROM PUBLIC/);
    for (const [store, role, database] of [['orders-db', 'orders_svc', 'orders'], ['users-db', 'users_svc', 'users']] as const) {
      expect(services[store]?.volumes).toContain('./deploy/postgres/10-service-database.sh:/docker-entrypoint-initdb.d/10-service-database.sh:ro');
      expect(environmentOf(store)).toMatchObject({ SERVICE_DB_ROLE: role, SERVICE_DB_NAME: database });
    }
  });

  it('clones the orders replica from the primary with pg_basebackup through a replication role', () => {
    expect(words(services['orders-db-replica']?.entrypoint)).toBe('/deploy/replica-entrypoint.sh');
    expect(environmentOf('orders-db-replica').PRIMARY_HOST).toBe('orders-db');
    expect(dependenciesOf('orders-db-replica')['orders-db']).toBe('service_healthy');
    const entrypoint = read('deploy/postgres/replica-entrypoint.sh');
    expect(entrypoint).toMatch(/pg_basebackup[\s\S]*--username replicator[\s\S]*--write-recovery-conf/);
    expect(entrypoint).toContain('exec docker-entrypoint.sh postgres');
    const replication = read('deploy/postgres/20-replication.sh');
    expect(replication).toContain('CREATE ROLE replicator WITH REPLICATION LOGIN');
    expect(replication).toContain('host replication replicator');
    expect(services['orders-db']?.volumes).toContain('./deploy/postgres/20-replication.sh:/docker-entrypoint-initdb.d/20-replication.sh:ro');
    expect(services['users-db']?.volumes?.join(' ')).not.toContain('20-replication.sh');
  });

  it('runs MongoDB as the single-node replica set rs0 and gives products_svc readWrite on products only', () => {
    expect(read('deploy/mongo/entrypoint.sh')).toMatch(/mongod --replSet rs0 .*--keyFile/);
    expect(read('deploy/mongo/healthcheck.sh')).toMatch(/rs\.initiate\(\{ _id: 'rs0'/);
    const init = read('deploy/mongo/10-products-user.js');
    expect(init).toContain("getSiblingDB('products').createUser");
    expect([...init.matchAll(/role: '(\w+)', db: '(\w+)'/g)].map((match) => `${match[1]}@${match[2]}`)).toEqual(['readWrite@products']);
    expect(services['products-mongo']?.volumes).toContain('./deploy/mongo/10-products-user.js:/docker-entrypoint-initdb.d/10-products-user.js:ro');
  });

  it('limits the cart_svc Redis user to keys under cart:* and turns the default user off', () => {
    const acl = read('deploy/redis/users.acl').split('\n');
    expect(acl).toContain('user default off');
    const cart = acl.find((line) => line.startsWith('user cart_svc '))?.split(' ') ?? [];
    expect(cart.filter((token) => token.startsWith('~') || token.startsWith('%') || token === 'allkeys')).toEqual(['~cart:*']);
    expect(cart).toContain('resetkeys');
    expect(cart).toContain('-@dangerous');
    expect(services['cart-redis']?.volumes).toContain('./deploy/redis/users.acl:/deploy/users.acl:ro');
  });

  it('publishes stores for local development on loopback only, through a separate override file', () => {
    const override = parse(read('deploy/compose.stores-published.yml')) as ComposeFile;
    const published = Object.entries(override.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port: String(port) })));
    expect(published.map(({ name }) => name).sort()).toEqual([...STORE_SERVICES].sort());
    for (const entry of published) expect(entry).toEqual({ name: entry.name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
  });

  it('gives search_svc an Elasticsearch role on the products* indices only', () => {
    const init = read('deploy/elasticsearch/create-search-user.sh');
    expect(init).toContain('"indices":[{"names":["products*"]');
    expect(dependenciesOf('search')['search-elasticsearch-init']).toBe('service_completed_successfully');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const finalStage = stages.at(-1) ?? '';

  it('builds from node:20-bookworm-slim in more than one stage', () => {
    expect(dockerfile).toContain('node:20-bookworm-slim');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci/);
  });

  it('runs the final stage as the non-root node user in /app', () => {
    const users = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.at(-1)).toBe('node');
    expect(finalStage).toMatch(/^WORKDIR \/app$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK .*\n?.*deploy\/healthcheck\.ts/m);
  });

  it('copies no local-stack, stand-in or test data into the image', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.*)$/gm)].flatMap((match) => match[1]!.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1));
    expect(sources).toContain('services/');
    const manifest = (source: string) => source.endsWith('/package.json');
    expect(sources.filter((source) => /\.local|\.data/.test(source) || (/^infra|test/.test(source) && !manifest(source)))).toEqual([]);
    const ignored = read('.dockerignore').split('\n');
    for (const pattern of ['.local', '**/.local', '.data', '**/.data', '**/node_modules', '**/test', 'infra/**']) expect(ignored).toContain(pattern);
  });

  it('has a health check script that succeeds only on SERVING', () => {
    const script = read('deploy/healthcheck.ts');
    expect(script).toContain("import { healthStatus } from '@shop/runtime'");
    expect(script).toMatch(/process\.exit\(status === 'SERVING' \? 0 : 1\)/);
  });
});

const composeWorks = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;

describe('docker compose', () => {
  (composeWorks ? it : it.skip)('accepts the file (docker compose config -q)', () => {
    const result = spawnSync('docker', ['compose', '--file', join(root, 'docker-compose.yml'), 'config', '--quiet'], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
