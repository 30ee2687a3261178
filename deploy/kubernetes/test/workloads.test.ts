import { describe, expect, it } from '@jest/globals';
import { serviceNames, storeOwners, systemMap, type ServiceName } from '@shop/system-map';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildOutputs } from '../../../scripts/build-targets.js';
import { mongoGrantProblems, productsMigrationSources } from '../../../test/compose-checks.js';
import { imageNodeArgs, migrationCommand, nodeCommand, serviceConfigMap } from '../src/conventions.js';
import type { Manifest } from '../src/manifest.js';
import { mongoRoles } from '../src/stores/mongodb.js';
import { redisAclRule } from '../src/stores/redis.js';
import { elasticsearchVersion } from '../src/stores/elasticsearch.js';
import { renderOverlay } from '../src/render.js';
import { requiredSecrets } from '../src/secrets.js';
import { overlayNames } from '../src/settings.js';

/** Secret names an object reads (env, operator references) and those its operator writes for it. */
function secretReferences(tree: unknown, found = { read: new Set<string>(), written: new Set<string>() }) {
  if (tree === null || typeof tree !== 'object') return found;
  for (const [key, value] of Object.entries(tree)) {
    const name = (value as { name?: unknown } | null)?.name;
    if (['secretKeyRef', 'passwordSecretRef', 'secret'].includes(key) && typeof name === 'string') found.read.add(name);
    else if (key === 'secretName' && typeof value === 'string') found.read.add(value);
    else if (key === 'connectionStringSecretName' && typeof value === 'string') found.written.add(value);
    else secretReferences(value, found);
  }
  return found;
}

const ofKind = <T>(objects: readonly Manifest[], kind: string) => objects.filter((object) => object.kind === kind) as unknown as (T & Manifest)[];
const find = (objects: readonly Manifest[], kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);

/** What is wrong with a container's probes, resources and security context; empty when nothing is. */
function containerProblems(container: IContainer, grpcPort?: number): string[] {
  const problems: string[] = [];
  const security = container.securityContext;
  if (security?.runAsNonRoot !== true) problems.push('may run as root');
  if (security?.readOnlyRootFilesystem !== true) problems.push('has a writable root filesystem');
  if (security?.allowPrivilegeEscalation !== false) problems.push('may escalate privileges');
  if (!security?.capabilities?.drop?.includes('ALL')) problems.push('keeps capabilities');
  for (const bound of ['requests', 'limits'] as const) {
    if (!container.resources?.[bound]?.cpu || !container.resources?.[bound]?.memory) problems.push(`has no cpu and memory ${bound}`);
  }
  if (grpcPort !== undefined) {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      if (container[probe]?.grpc?.port !== grpcPort) problems.push(`has no native gRPC ${probe} on port ${grpcPort}`);
    }
  }
  return problems.map((problem) => `${container.name} ${problem}`);
}

/** Whether a service's migrations/ holds anything to run (not only Markdown describing a key format, as cart's). */
function hasRunnableMigrations(name: ServiceName): boolean {
  const folder = new URL(`../../../services/${name}/migrations/`, import.meta.url);
  return existsSync(folder) && readdirSync(folder).some((file) => !file.endsWith('.md'));
}

/** What is wrong with the pods of these Deployments: pod security, then each container's probes, limits and security. */
function deploymentProblems(deployments: readonly (IDeployment & Manifest)[]): string[] {
  return deployments.flatMap((deployment) => {
    const name = deployment.metadata.name as ServiceName;
    const pod = deployment.spec?.template.spec;
    return [
      ...(pod?.securityContext?.runAsNonRoot === true ? [] : ['pod may run as root']),
      ...(pod?.containers ?? []).flatMap((container) => containerProblems(container, systemMap[name].port)),
      ...(pod?.initContainers ?? []).flatMap((container) => containerProblems(container)),
    ].map((problem) => `${name}: ${problem}`);
  });
}

function storeVariables(name: ServiceName): string[] {
  const store = systemMap[name].store;
  return store ? [store.urlVariable, ...(store.replicaUrlVariable ? [store.replicaUrlVariable] : [])] : [];
}

describe.each(overlayNames)('the %s overlay', (overlay) => {
  const objects = renderOverlay(overlay);
  const deployments = ofKind<IDeployment>(objects, 'Deployment');

  it('runs every service of the map in a Deployment with its ServiceAccount, Service, PodDisruptionBudget and HorizontalPodAutoscaler', () => {
    for (const name of serviceNames) {
      const embedded = systemMap[name].store?.engine === 'duckdb';
      for (const kind of ['Deployment', 'ServiceAccount', 'Service', 'ConfigMap', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']) {
        const objectName = kind === 'ConfigMap' ? serviceConfigMap(name) : name;
        const expected = !(embedded && kind === 'HorizontalPodAutoscaler');
        expect({ kind, objectName, rendered: find(objects, kind, objectName) !== undefined }).toEqual({ kind, objectName, rendered: expected });
      }
    }
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([...serviceNames].sort());
  });

  it('runs an embedded DuckDB owner as one replica on its own PersistentVolumeClaim, with no store pods', () => {
    const analytics = deployments.find((deployment) => deployment.metadata.name === 'analytics')!;
    expect(analytics.spec?.replicas).toBe(1);
    expect(analytics.spec?.template.spec?.volumes).toContainEqual({ name: 'store', persistentVolumeClaim: { claimName: 'analytics-duckdb' } });
    expect(find(objects, 'PersistentVolumeClaim', 'analytics-duckdb')).toBeDefined();
    expect(objects.filter((object) => object.kind === 'StatefulSet' && object.metadata.name.startsWith('analytics'))).toEqual([]);
  });

  it('gives every container of every Deployment probes (gRPC health on the service), limits and a non-root read-only security context', () => {
    expect(deploymentProblems(deployments)).toEqual([]);
  });

  it('reports a Deployment without a probe, without limits, or that may run as root', () => {
    const broken = structuredClone(deployments);
    const pod = broken.find((deployment) => deployment.metadata.name === 'orders')?.spec?.template.spec;
    const [container] = pod?.containers ?? [];
    const [init] = pod?.initContainers ?? [];
    if (!pod?.securityContext || !container?.resources || !init?.securityContext) throw new Error('orders has no pod, container or init container to break');
    delete container.readinessProbe;
    delete container.resources.limits;
    pod.securityContext.runAsNonRoot = false;
    init.securityContext.readOnlyRootFilesystem = false;
    expect(deploymentProblems(broken)).toEqual([
      'orders: pod may run as root',
      'orders: orders has no cpu and memory limits',
      `orders: orders has no native gRPC readinessProbe on port ${systemMap.orders.port}`,
      'orders: migrate has a writable root filesystem',
    ]);
  });

  it('migrates each store in its owner’s own init container, with only that owner’s store credentials', () => {
    for (const deployment of deployments) {
      const name = deployment.metadata.name as ServiceName;
      const init = deployment.spec?.template.spec?.initContainers ?? [];
      const owned = storeVariables(name);
      expect({ name, migrations: init.map((container) => container.command?.join(' ')) }).toEqual({
        name,
        migrations: hasRunnableMigrations(name) ? [`node ${imageNodeArgs().join(' ')} services/${name}/dist/cli/migrate.js`] : [],
      });
      const others = serviceNames.filter((other) => other !== name).flatMap(storeVariables);
      const containers = [...init, ...(deployment.spec?.template.spec?.containers ?? [])];
      const variables = containers.flatMap((container) => (container.env ?? []).map((variable) => variable.name));
      expect({ name, foreign: variables.filter((variable) => others.includes(variable)) }).toEqual({ name, foreign: [] });
      for (const variable of owned) expect({ name, has: variables.includes(variable) }).toEqual({ name, has: true });
    }
    expect(objects.filter((object) => object.kind === 'Job')).toEqual([]);
  });

  it('runs in every container only scripts the build writes, each with the telemetry preload', () => {
    const containers = deployments.flatMap((deployment) => [...(deployment.spec?.template.spec?.initContainers ?? []), ...(deployment.spec?.template.spec?.containers ?? [])]);
    const scripts = containers.flatMap((container) => (container.command ?? []).filter((word) => word.endsWith('.js')).map((script) => script.replace(/^\.\//, '')));
    expect(scripts.filter((script) => !buildOutputs().has(script))).toEqual([]);
    for (const container of containers) expect(container.command?.slice(0, 4)).toEqual(['node', ...imageNodeArgs()]);
    expect(scripts.filter((script) => script.endsWith('/cli/migrate.js')).length).toBe(serviceNames.filter(hasRunnableMigrations).length);
  });

  it('refuses to render a command for a script the build does not write', () => {
    expect(() => nodeCommand('services/orders/dist/migrate.js')).toThrow('services/orders/dist/migrate.js is not written by scripts/build.ts');
    expect(migrationCommand('cart')).toBeUndefined();
  });

  it('runs the stores on their operators: no StatefulSet but Redis', () => {
    expect(ofKind<Manifest>(objects, 'StatefulSet').map((set) => set.metadata.name)).toEqual(storeOwners().filter(({ spec }) => spec.store.engine === 'redis').map(({ name }) => `${name}-redis`));
  });

  it('gives orders a CloudNativePG cluster with a replica, read through its -ro service, and users a cluster of its own', () => {
    for (const { name, spec } of storeOwners().filter((owner) => owner.spec.store.engine === 'postgresql')) {
      const cluster = find(objects, 'Cluster', `${name}-db`) as Manifest & { spec: { instances: number; bootstrap: { initdb: { database: string; owner: string } } } };
      expect(cluster.spec.bootstrap.initdb).toMatchObject({ database: spec.store.namespace, owner: spec.store.user });
      const env = (find(objects, 'Deployment', name) as IDeployment & Manifest).spec?.template.spec?.containers[0]?.env ?? [];
      const value = (variable: string) => env.find((entry) => entry.name === variable)?.value;
      expect(value(spec.store.urlVariable)).toBe(`postgres://${spec.store.user}:$(STORE_PASSWORD)@${name}-db-rw:5432/${spec.store.namespace}`);
      if (spec.store.replicaUrlVariable) {
        expect(cluster.spec.instances).toBeGreaterThanOrEqual(2);
        expect(value(spec.store.replicaUrlVariable)).toBe(`postgres://${spec.store.user}:$(STORE_PASSWORD)@${name}-db-ro:5432/${spec.store.namespace}`);
      }
    }
  });

  it('gives the MongoDB user readWrite and dbAdmin on its own database only', () => {
    const [products] = storeOwners().filter((owner) => owner.spec.store.engine === 'mongodb');
    if (!products) throw new Error('the map names no MongoDB store');
    const replicaSet = find(objects, 'MongoDBCommunity', `${products.name}-mongo`) as Manifest & { spec: { users: { name: string; db: string; roles: unknown[] }[] } };
    expect(replicaSet.spec.users).toEqual([expect.objectContaining({ name: products.spec.store.user, db: products.spec.store.namespace, roles: mongoRoles(products.spec.store) })]);
    expect(mongoRoles(products.spec.store)).toEqual([
      { name: 'readWrite', db: 'products' },
      { name: 'dbAdmin', db: 'products' },
    ]);
  });

  it('gives the MongoDB user every privilege action the products migrations need, and reports a readWrite-only user', () => {
    const { store } = systemMap.products;
    if (!store) throw new Error('products has no store');
    const grants = mongoRoles(store).map((role) => ({ role: role.name, db: role.db }));
    expect(mongoGrantProblems(grants, productsMigrationSources(), store.namespace)).toEqual([]);
    const readWriteOnly = grants.filter((grant) => grant.role === 'readWrite');
    expect(mongoGrantProblems(readWriteOnly, productsMigrationSources(), store.namespace)).toEqual([`the migrations need collMod on ${store.namespace}, which no granted role gives`]);
  });

  it('limits the Elasticsearch user to its index pattern and runs the version of its client', () => {
    for (const { name, spec } of storeOwners().filter((owner) => owner.spec.store.engine === 'elasticsearch')) {
      const roles = find(objects, 'Secret', `${name}-elasticsearch-roles`) as Manifest & { stringData: Record<string, string> };
      expect(parse(roles.stringData['roles.yml'] ?? '')).toEqual({ [spec.store.user]: { cluster: ['monitor'], indices: [{ names: [spec.store.namespace], privileges: ['all'] }] } });
      const cluster = find(objects, 'Elasticsearch', `${name}-elasticsearch`) as Manifest & { spec: { version: string } };
      expect(cluster.spec.version).toBe(elasticsearchVersion(name, spec.store.driver));
      expect(cluster.spec.version).toMatch(/^9\.\d+\.0$/);
    }
  });

  it('limits the Redis user to its key pattern', () => {
    for (const { name, spec } of storeOwners().filter((owner) => owner.spec.store.engine === 'redis')) {
      const config = find(objects, 'ConfigMap', `${name}-redis-config`) as Manifest & { data: Record<string, string> };
      const acl = (config.data['users.acl.template'] ?? '').trim().split('\n');
      expect(acl).toEqual(['user default off', 'user admin on >${ADMIN_PASSWORD} ~* &* +@all', redisAclRule(spec.store)]);
      expect(redisAclRule(spec.store)).toBe('user cart_svc on >${OWNER_PASSWORD} resetkeys ~cart:* resetchannels +@all -@dangerous +info');
      const composeRule = readFileSync(new URL('../../redis/users.acl', import.meta.url), 'utf8').split('\n').find((line) => line.startsWith(`user ${spec.store.user} `));
      const withoutPassword = (rule: string | undefined) => rule?.split(' ').filter((token) => !token.startsWith('>'));
      expect(withoutPassword(redisAclRule(spec.store))).toEqual(withoutPassword(composeRule));
    }
  });

  it('reads only Secrets that are rendered, created by secrets/create-secrets.sh, or written by an operator', () => {
    const { read, written } = secretReferences(objects);
    const available = new Set([...objects.filter((object) => object.kind === 'Secret').map((object) => object.metadata.name), ...requiredSecrets().map((secret) => secret.name), ...written]);
    expect([...read].filter((name) => !available.has(name))).toEqual([]);
    expect(read.size).toBeGreaterThan(5);
  });
});
