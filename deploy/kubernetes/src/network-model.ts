import { serviceNames, systemMap, type ServiceName } from '@shop/system-map';
import { natsClientPort } from './conventions.js';
import type { Manifest } from './manifest.js';
import { natsClients, natsClusterPort, natsPods } from './nats.js';
import type { Connection, Workload } from './network-matrix.js';
import { servicePodLabels } from './labels.js';
import { servicePorts } from './service-workload.js';
import { namespace, overlays, type OverlayName } from './settings.js';
import { renderStores } from './stores/index.js';
import type { PodGroup, RenderedStore } from './stores/store-kind.js';

/** The telemetry collector's workload name in the matrix. */
const collectorName = 'otel-collector';

/** Workloads that are not the system's but that the policies must account for. */
const outsiders = (overlay: OverlayName): Workload[] => [
  { name: 'ingress-controller', namespace: overlays[overlay].ingressNamespace, labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [] },
  { name: 'stranger-in-namespace', namespace, labels: { app: 'debug-shell' }, ports: [{ port: 8080 }] },
  { name: 'pod-elsewhere', namespace: 'default', labels: { app: 'anything' }, ports: [{ port: 8080 }] },
];

function podWorkload(name: string, group: PodGroup, ports: readonly number[]): Workload {
  return { name, namespace: group.namespace ?? namespace, labels: group.podLabels, ports: ports.map((port) => ({ port })) };
}

function operatorWorkloads(stores: Map<ServiceName, RenderedStore>): Workload[] {
  const operators = [...stores.values()].flatMap((store) => (store.operator ? [store.operator.pods] : []));
  const unique = new Map(operators.map((pods) => [`${pods.namespace}/${JSON.stringify(pods.podLabels)}`, pods]));
  return [...unique.values()].map((pods) => podWorkload(`operator@${pods.namespace}`, pods, []));
}

/** A Deployment's pods: the labels and container ports of its template. */
function deploymentWorkload(object: Manifest): Workload {
  const template = (object.spec as { template: { metadata: { labels: Record<string, string> }; spec: { containers: { ports?: { name?: string; containerPort: number }[] }[] } } }).template;
  return {
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? namespace,
    labels: template.metadata.labels,
    ports: template.spec.containers.flatMap((container) => (container.ports ?? []).map((port) => ({ name: port.name, port: port.containerPort }))),
  };
}

/**
 * Every workload of an overlay as the policies see it: the services' pods (from their rendered Deployments), the
 * stores' pods (labels as their operators set them), the NATS servers, the telemetry collector, the operators and a
 * few outsiders.
 */
export function systemWorkloads(overlay: OverlayName, objects: readonly Manifest[]): Workload[] {
  const stores = renderStores(overlays[overlay]);
  const collector = overlays[overlay].telemetryCollector;
  return [
    ...objects.filter((object) => object.kind === 'Deployment').map(deploymentWorkload),
    ...[...stores.values()].flatMap((store) => (store.pods ? [podWorkload(store.instance, store.pods, [...new Set([...store.clientPorts, ...store.peerPorts, ...(store.operator?.ports ?? [])])])] : [])),
    podWorkload('nats', natsPods, [natsClientPort, natsClusterPort]),
    ...(collector ? [podWorkload(collectorName, collector.pods, [collector.port])] : []),
    ...operatorWorkloads(stores),
    ...outsiders(overlay),
  ];
}

/**
 * The connections the system map allows, the same on both sides: each caller to its callee's gRPC port (`ingress`:
 * the ingress controller to every port of the service), each owner to its own store, a store's pods to each other
 * and its operator to them, every NATS client to NATS and the NATS servers to each other, every service to the
 * telemetry collector where the overlay has one.
 */
export function expectedConnections(overlay: OverlayName): Set<Connection> {
  const stores = renderStores(overlays[overlay]);
  const expected = new Set<Connection>();
  for (const name of serviceNames) {
    for (const caller of systemMap[name].callers) {
      if (caller === 'ingress') for (const { port } of servicePorts(name)) expected.add(`ingress-controller → ${name}:${port}`);
      else expected.add(`${caller} → ${name}:${systemMap[name].port}`);
    }
  }
  for (const [owner, store] of stores) {
    for (const port of store.clientPorts) expected.add(`${owner} → ${store.instance}:${port}`);
    for (const port of store.peerPorts) expected.add(`${store.instance} → ${store.instance}:${port}`);
    for (const port of store.operator?.ports ?? []) expected.add(`operator@${store.operator?.pods.namespace} → ${store.instance}:${port}`);
  }
  for (const name of natsClients) expected.add(`${name} → nats:${natsClientPort}`);
  const collector = overlays[overlay].telemetryCollector;
  if (collector) for (const name of serviceNames) expected.add(`${name} → ${collectorName}:${collector.port}`);
  expected.add(`nats → nats:${natsClusterPort}`);
  return expected;
}

/** The expected connections each side must admit: ingress for destinations in the system's namespace, egress for sources in it. */
export function expectedMatrix(overlay: OverlayName, workloads: readonly Workload[]): { ingress: Set<Connection>; egress: Set<Connection> } {
  const where = new Map(workloads.map((workload) => [workload.name, workload.namespace]));
  const all = [...expectedConnections(overlay)];
  const ends = (entry: Connection) => {
    const [source = '', destination = ''] = entry.split(' → ');
    return { source: where.get(source), destination: where.get(destination.split(':')[0] ?? '') };
  };
  return {
    ingress: new Set(all.filter((entry) => ends(entry).destination === namespace)),
    egress: new Set(all.filter((entry) => ends(entry).source === namespace)),
  };
}

/** The pod labels of a service, for tests that change a rendered policy. */
export const podsOfService = servicePodLabels;
