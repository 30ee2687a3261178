import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { busUsers, natsPasswordVariable, natsPermissionsOf, natsUserOf, type ServiceName } from '@shop/system-map';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { parse, parseAllDocuments } from 'yaml';
import { committedLayout, layoutRoot } from '../src/layout-files.js';
import { renderLayout } from '../src/layout.js';
import { objectKey, type Manifest } from '../src/manifest.js';
import { natsAuthorization, natsClients, natsUsersSecret, natsValues } from '../src/nats.js';
import { renderOverlay } from '../src/render.js';
import { overlayNames, overlays } from '../src/settings.js';
import { validateManifest, validateManifests } from '../src/validate.js';

/** kubectl ships kustomize; machines without it (a bare Debian with Node) skip the kustomize build and say so. */
const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write('kubectl is not installed: the kustomize build check is skipped (the schema and policy checks still run)\n');
    return false;
  }
})();

const sorted = (objects: readonly Manifest[]) => [...objects].sort((a, b) => objectKey(a).localeCompare(objectKey(b)));

/** Every key path of a values tree. */
function keyPaths(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return [];
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(value, path)];
  });
}

/** The chart's free-form maps (an empty map by default, like `merge` and `resources`): anything may go below them. */
function freeFormPaths(tree: unknown): string[] {
  return keyPaths(tree).filter((path) => {
    const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
    return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
  });
}

describe.each(overlayNames)('the %s overlay', (overlay) => {
  const objects = renderOverlay(overlay);

  it('renders only objects valid against the Kubernetes 1.36 schema and the operators’ CRD schemas', async () => {
    const problems = await validateManifests(objects);
    expect(problems).toEqual([]);
    expect(new Set(objects.map((object) => object.kind))).toEqual(
      new Set(['Namespace', 'NetworkPolicy', 'Cluster', 'MongoDBCommunity', 'Elasticsearch', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Service', 'StatefulSet', 'Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Ingress', 'PersistentVolumeClaim']),
    );
  });

  (hasKubectl ? it : it.skip)('builds with kustomize (kubectl kustomize) into exactly the rendered objects', () => {
    const output = execFileSync('kubectl', ['kustomize', join(layoutRoot, 'overlays', overlay)], { encoding: 'utf8' });
    const built = parseAllDocuments(output).map((document) => document.toJS() as Manifest);
    expect(sorted(built)).toEqual(sorted(objects));
  });

  it('gives the NATS chart only values the chart declares', () => {
    const chart = parse(readFileSync(join(layoutRoot, 'schemas', 'nats-chart-2.14.2-values.yaml'), 'utf8')) as unknown;
    const known = new Set(keyPaths(chart));
    const freeForm = freeFormPaths(chart);
    const undeclared = keyPaths(natsValues(overlays[overlay])).filter((path) => !known.has(path) && !freeForm.some((open) => path.startsWith(`${open}.`)));
    expect(undeclared).toEqual([]);
  });
});

describe('the NATS users', () => {
  /** The chart writes `config.merge` into nats.conf as JSON, with every `"<< … >>"` string unquoted. */
  const chartConfig = (merge: unknown) => JSON.stringify(merge, null, 2).replace(/"<<\s*(.*?)\s*>>"/g, '$1');
  const passwords = Object.fromEntries(natsClients.map((name) => [natsPasswordVariable(name), `${name}0123abcd`]));
  const check = async (config: string, env: Record<string, string>) => {
    const dir = await mkdtemp(join(tmpdir(), 'k8s-nats-'));
    try {
      await writeFile(join(dir, 'nats.conf'), config);
      return spawnSync('nats-server', ['--config', join(dir, 'nats.conf'), '-t'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it.each(overlayNames)('are one per service on the bus, each with the permissions the system map gives it (%s)', (overlay) => {
    const values = natsValues(overlays[overlay]) as { config: { merge: ReturnType<typeof natsAuthorization> } };
    expect(values.config.merge).toEqual(natsAuthorization());
    const users = (natsAuthorization().authorization as { users: { user: string; password: string; permissions: unknown }[] }).users;
    expect(users.map((user) => user.user)).toEqual(busUsers().map(natsUserOf));
    for (const [index, name] of busUsers().entries()) {
      const { publish, subscribe } = natsPermissionsOf(name);
      expect(users[index]).toEqual({ user: natsUserOf(name), password: `<< $${natsPasswordVariable(name)} >>`, permissions: { publish: { allow: publish }, subscribe: { allow: subscribe } } });
    }
  });

  it('make a configuration nats-server accepts with the passwords from the Secret, and refuses without them', async () => {
    const accepted = await check(chartConfig(natsAuthorization()), passwords);
    expect({ status: accepted.status, output: `${accepted.stdout}${accepted.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('configuration file') });
    expect((await check(chartConfig(natsAuthorization()), {})).status).not.toBe(0);
  });

  it('give each service on the bus its own user and password, and the gateway none', () => {
    const objects = renderOverlay('production');
    for (const deployment of objects.filter((object) => object.kind === 'Deployment') as unknown as (IDeployment & Manifest)[]) {
      const name = deployment.metadata.name as ServiceName;
      const env = deployment.spec?.template.spec?.containers[0]?.env ?? [];
      const url = env.find((variable) => variable.name === 'NATS_URL')?.value;
      if (!busUsers().includes(name)) {
        expect({ name, url }).toEqual({ name, url: undefined });
        continue;
      }
      expect({ name, url }).toEqual({ name, url: `nats://${natsUserOf(name)}:$(${natsPasswordVariable(name)})@nats:4222` });
      expect(env.find((variable) => variable.name === natsPasswordVariable(name))?.valueFrom?.secretKeyRef).toEqual({ name: natsUsersSecret, key: natsPasswordVariable(name) });
      expect(env.filter((variable) => variable.name.endsWith('_NATS_PASSWORD')).map((variable) => variable.name)).toEqual([natsPasswordVariable(name)]);
    }
  });
});

describe('the committed layout', () => {
  it('equals a fresh render (run `npm run k8s:render -- --write` after changing the map or the renderer)', () => {
    const fresh = renderLayout();
    const committed = committedLayout();
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, content] of fresh) expect({ path, content: committed.get(path) }).toEqual({ path, content });
  });
});

describe('the validator', () => {
  const cluster = renderOverlay('local').find((object) => object.kind === 'Cluster') as Manifest;

  it('refuses a custom resource with a misspelt field or a wrong type, as strict field validation would', async () => {
    const broken = structuredClone(cluster) as Manifest & { spec: Record<string, unknown> };
    broken.spec.instance = 2;
    broken.spec.instances = 'two';
    const problems = await validateManifest(broken);
    expect(problems.join('\n')).toMatch(/additionalProperty":"instance"/);
    expect(problems.join('\n')).toMatch(/\/spec\/instances must be integer/);
  });

  it('refuses a built-in object that breaks the Kubernetes schema', async () => {
    const deployment = structuredClone(renderOverlay('local').find((object) => object.kind === 'Deployment')) as Manifest & {
      spec: { template: { spec: { containers: { livenessProbe: { grpc: { port: unknown } } }[] } } };
    };
    const container = deployment.spec.template.spec.containers[0];
    if (container) container.livenessProbe.grpc.port = 'grpc';
    expect((await validateManifest(deployment)).join('\n')).toMatch(/livenessProbe\/grpc\/port must be integer/);
  });

  it('refuses a kind it cannot check', async () => {
    expect(await validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget/w: example.com/v1 Widget is neither a Kubernetes kind nor a known custom resource',
    ]);
  });
});
