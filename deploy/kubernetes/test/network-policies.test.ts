import { describe, expect, it } from '@jest/globals';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { serviceNames, systemMap } from '@shop/system-map';
import { serviceConfigMap } from '../src/conventions.js';
import type { Manifest } from '../src/manifest.js';
import { matrixViolations, networkMatrix, selects } from '../src/network-matrix.js';
import { expectedMatrix, podsOfService, systemWorkloads } from '../src/network-model.js';
import { renderOverlay } from '../src/render.js';
import { overlayNames, overlays, type OverlayName } from '../src/settings.js';

/** The policy check as a test sees it: the violations of a set of rendered objects. */
function violations(overlay: OverlayName, objects: readonly Manifest[]): string[] {
  const workloads = systemWorkloads(overlay, objects);
  return matrixViolations(networkMatrix(objects, workloads), expectedMatrix(overlay, workloads));
}

function policy(objects: Manifest[], name: string): INetworkPolicy & Manifest {
  const found = objects.find((object) => object.kind === 'NetworkPolicy' && object.metadata.name === name);
  if (!found) throw new Error(`no NetworkPolicy ${name}`);
  return found as INetworkPolicy & Manifest;
}

describe.each(overlayNames)('the NetworkPolicies of the %s overlay', (overlay) => {
  const objects = renderOverlay(overlay);

  it('allow exactly the system map: its call graph, each store to its owner only, NATS to every service', () => {
    expect(violations(overlay, objects)).toEqual([]);
  });

  it('deny every pod of the namespace by default, in both directions', () => {
    expect(policy(objects, 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('let an unlisted pod of the namespace reach nothing and be reached by nothing', () => {
    const workloads = systemWorkloads(overlay, objects);
    const matrix = networkMatrix(objects, workloads);
    const touching = [...matrix.ingress, ...matrix.egress].filter((entry) => entry.includes('stranger-in-namespace') || entry.includes('pod-elsewhere'));
    expect(touching).toEqual([]);
  });
});

describe('the telemetry collector', () => {
  it.each(overlayNames)('is reachable from every service, and only on its OTLP port, where the %s overlay has one', (overlay) => {
    const objects = renderOverlay(overlay);
    const collector = overlays[overlay].telemetryCollector;
    const egress = [...networkMatrix(objects, systemWorkloads(overlay, objects)).egress].filter((entry) => entry.includes('otel-collector')).sort();
    expect(egress).toEqual(collector ? serviceNames.map((name) => `${name} → otel-collector:${collector.port}`).sort() : []);
    const endpoints = objects.filter((object) => object.kind === 'ConfigMap' && serviceNames.map(serviceConfigMap).includes(object.metadata.name)).map((map) => (map as unknown as { data: Record<string, string> }).data.OTEL_EXPORTER_OTLP_ENDPOINT);
    expect(new Set(endpoints)).toEqual(new Set([collector?.endpoint]));
  });
});

describe('the NetworkPolicy matrix check', () => {
  const overlay: OverlayName = 'production';

  it('reports a policy that lets orders reach the users database, on the side that allows it', () => {
    const objects = structuredClone(renderOverlay(overlay));
    policy(objects, 'store-users-db').spec?.ingress?.push({ from: [{ podSelector: { matchLabels: podsOfService('orders') } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(violations(overlay, objects)).toEqual(['ingress allows orders → users-db:5432, which the system map does not']);
    policy(objects, 'service-orders').spec?.egress?.push({ to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'users-db' } } }] });
    expect(violations(overlay, objects)).toEqual([
      'ingress allows orders → users-db:5432, which the system map does not',
      'egress allows orders → users-db:5432, which the system map does not',
      'egress allows orders → users-db:8000, which the system map does not',
    ]);
  });

  it('reports a store opened to the whole namespace', () => {
    const objects = structuredClone(renderOverlay(overlay));
    const rules = policy(objects, 'store-products-mongo').spec?.ingress ?? [];
    rules.push({ from: [{ podSelector: {} }] });
    const reported = violations(overlay, objects);
    expect(reported).toEqual(expect.arrayContaining(['ingress allows gateway → products-mongo:27017, which the system map does not', 'ingress allows stranger-in-namespace → products-mongo:27017, which the system map does not']));
  });

  it('reports a caller the map allows but the policies block', () => {
    const objects = structuredClone(renderOverlay(overlay));
    const products = policy(objects, 'service-products');
    products.spec = { ...products.spec, podSelector: products.spec?.podSelector ?? {}, ingress: (products.spec?.ingress ?? []).filter((rule) => !selects(rule.from?.[0]?.podSelector, podsOfService('search'))) };
    expect(violations(overlay, objects)).toEqual(['ingress blocks search → products:20051, which the system map allows']);
  });

  it('follows the map: every caller of every service appears in the expected matrix', () => {
    const workloads = systemWorkloads(overlay, renderOverlay(overlay));
    const expected = expectedMatrix(overlay, workloads).ingress;
    for (const name of serviceNames) {
      for (const caller of systemMap[name].callers) {
        const source = caller === 'ingress' ? 'ingress-controller' : caller;
        expect([...expected].some((entry) => entry.startsWith(`${source} → ${name}:`))).toBe(true);
      }
    }
  });
});
