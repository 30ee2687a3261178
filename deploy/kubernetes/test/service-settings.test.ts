import { describe, expect, it } from '@jest/globals';
import { serviceNames, systemMap, type ServiceName } from '@shop/system-map';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { Manifest } from '../src/manifest.js';
import { renderOverlay } from '../src/render.js';
import { overlayNames } from '../src/settings.js';

type Env = Record<string, string | undefined>;
type LoadConfig = (env: Env) => { host: string; port: number; httpPort?: number };

const loadConfigOf = async (name: ServiceName): Promise<LoadConfig> =>
  ((await import(`../../../services/${name}/src/config.js`)) as { loadConfig: LoadConfig }).loadConfig;

/** A stand-in for a Secret's value, shaped as the variable needs (the operator-written MongoDB connection string is a URL). */
function secretValue(key: string): string {
  return key.startsWith('connectionString') ? 'mongodb://products_svc:0123abcd@products-mongo-0.products-mongo-svc:27017/products?replicaSet=products-mongo' : `${'0123abcd'.repeat(6)}`;
}

/** A container's environment as the kubelet builds it: envFrom ConfigMaps, then env in order with $(VAR) expanded. */
function containerEnv(container: IContainer, objects: readonly Manifest[]): { env: Record<string, string>; expansionOnly: Set<string> } {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const map = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === source.configMapRef?.name) as (IConfigMap & Manifest) | undefined;
    if (!map) throw new Error(`${container.name} reads ConfigMap ${source.configMapRef?.name}, which is not rendered`);
    Object.assign(env, map.data);
  }
  const expansionOnly = new Set<string>();
  for (const variable of container.env ?? []) {
    const key = variable.valueFrom?.secretKeyRef?.key;
    const value = key !== undefined ? secretValue(key) : (variable.value ?? '');
    env[variable.name] = value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => {
      if (env[name] === undefined) return whole;
      expansionOnly.add(name);
      return env[name];
    });
  }
  return { env, expansionOnly };
}

/** The configuration a reader builds from an environment, as comparable text; a refused environment counts as a change. */
function outcome(reader: LoadConfig, env: Env): string {
  try {
    return JSON.stringify(reader(env), (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
  } catch (error) {
    return `refused: ${String(error)}`;
  }
}

/**
 * The variables whose value makes no difference to the configuration loadConfig builds (changing the value changes
 * nothing): set but not read, or read under another name's shadow (GATEWAY_PORT beside GATEWAY_GRPC_PORT).
 */
function ineffectiveVariables(env: Env, reader: LoadConfig, exempt: (variable: string) => boolean): string[] {
  const before = outcome(reader, env);
  const changed = (value: string) => (/^\d+$/.test(value) ? String(Number(value) + 1) : `${value}x`);
  return Object.keys(env).filter((variable) => !exempt(variable) && outcome(reader, { ...env, [variable]: changed(env[variable] ?? '') }) === before);
}

describe.each(overlayNames)('the settings of the %s overlay', (overlay) => {
  const objects = renderOverlay(overlay);
  const containersOf = (name: ServiceName) => {
    const pod = (objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name) as (IDeployment & Manifest) | undefined)?.spec?.template.spec;
    return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
  };

  it.each(serviceNames)('give %s every variable its loadConfig requires, listening on 0.0.0.0 at the map’s ports', async (name) => {
    const loadConfig = await loadConfigOf(name);
    for (const container of containersOf(name)) {
      const config = loadConfig(containerEnv(container, objects).env);
      expect({ container: container.name, host: config.host, port: config.port }).toEqual({ container: container.name, host: '0.0.0.0', port: systemMap[name].port });
      if (systemMap[name].httpPort !== undefined) expect(config.httpPort).toBe(systemMap[name].httpPort);
    }
  });

  it.each(serviceNames)('set for %s only variables that change its configuration (besides OTEL_* and $(VAR) parts)', async (name) => {
    const loadConfig = await loadConfigOf(name);
    for (const container of containersOf(name)) {
      const { env, expansionOnly } = containerEnv(container, objects);
      const ineffective = ineffectiveVariables(env, loadConfig, (variable) => variable.startsWith('OTEL_') || expansionOnly.has(variable));
      expect({ container: container.name, ineffective }).toEqual({ container: container.name, ineffective: [] });
    }
  });
});

describe('the settings check', () => {
  const objects = renderOverlay('production');
  const mainContainer = (name: ServiceName) => {
    const container = (objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name) as IDeployment & Manifest).spec?.template.spec?.containers[0];
    if (!container) throw new Error(`no ${name} container`);
    return container;
  };

  it('reports a variable under a name the service does not use: GATEWAY_PORT where the gateway reads GATEWAY_GRPC_PORT', async () => {
    const { env } = containerEnv(mainContainer('gateway'), objects);
    const { GATEWAY_GRPC_PORT: port, ...rest } = env;
    const misnamed = { ...rest, GATEWAY_PORT: port ?? '' };
    expect(ineffectiveVariables(misnamed, await loadConfigOf('gateway'), (variable) => variable.startsWith('OTEL_'))).toEqual(['GATEWAY_PORT']);
  });

  it('reports a variable the service does not read at all: NATS_URL for the gateway', async () => {
    const { env } = containerEnv(mainContainer('gateway'), objects);
    expect(ineffectiveVariables({ ...env, NATS_URL: 'nats://nats:4222' }, await loadConfigOf('gateway'), (variable) => variable.startsWith('OTEL_'))).toEqual(['NATS_URL']);
  });

  it('refuses a container missing a required variable, naming it', async () => {
    const users = mainContainer('users');
    const { env } = containerEnv({ ...users, env: (users.env ?? []).filter((variable) => variable.name !== 'USERS_DATABASE_URL') }, objects);
    await expect(loadConfigOf('users').then((load) => load(env))).rejects.toThrow(/USERS_DATABASE_URL/);
  });
});
