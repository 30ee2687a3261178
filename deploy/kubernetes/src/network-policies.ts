import { peersOf, serviceNames, systemMap, type ServiceName } from '@shop/system-map';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { natsClientPort } from './conventions.js';
import { partOf, servicePodLabels } from './labels.js';
import { natsClients, natsClusterPort, natsPods } from './nats.js';
import { servicePorts } from './service-workload.js';
import type { OverlaySettings } from './settings.js';
import type { PodGroup, RenderedStore } from './stores/store-kind.js';

/** The ports the Kubernetes API server answers on, for store pods whose operator agents call it. */
export const apiServerPorts = [443, 6443];

const tcp = (ports: readonly number[]): INetworkPolicyPort[] => ports.map((port) => ({ protocol: 'TCP', port }));

/** A network peer for a group of pods: in the system's namespace, or in the named one. */
export function peerOf(group: PodGroup): INetworkPolicyPeer {
  if (group.namespace === undefined) return { podSelector: { matchLabels: group.podLabels } };
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': group.namespace } }, podSelector: { matchLabels: group.podLabels } };
}

function policy(name: string, pods: Record<string, string>, spec: Pick<NonNullable<INetworkPolicy['spec']>, 'ingress' | 'egress'>): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: { ...partOf } },
    spec: { podSelector: { matchLabels: pods }, policyTypes: ['Ingress', 'Egress'], ingress: spec.ingress ?? [], egress: spec.egress ?? [] },
  };
}

const servicePods = (name: ServiceName): PodGroup => ({ podLabels: servicePodLabels(name) });

/** A service accepts its callers from the map (`ingress`: the ingress controller's namespace) and reaches its peers, its own store, NATS and the telemetry collector. */
function servicePolicy(name: ServiceName, store: RenderedStore | undefined, overlay: OverlaySettings): INetworkPolicy {
  const ports = tcp(servicePorts(name).map((entry) => entry.port));
  const ingress = systemMap[name].callers.map((caller) =>
    caller === 'ingress'
      ? { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': overlay.ingressNamespace } } }], ports }
      : { from: [peerOf(servicePods(caller))], ports: tcp([systemMap[name].port]) },
  );
  const egress = [
    ...peersOf(name).map((peer) => ({ to: [peerOf(servicePods(peer))], ports: tcp([systemMap[peer].port]) })),
    ...(store?.pods ? [{ to: [peerOf(store.pods)], ports: tcp(store.clientPorts) }] : []),
    ...(natsClients.includes(name) ? [{ to: [peerOf(natsPods)], ports: tcp([natsClientPort]) }] : []),
    ...(overlay.telemetryCollector ? [{ to: [peerOf(overlay.telemetryCollector.pods)], ports: tcp([overlay.telemetryCollector.port]) }] : []),
  ];
  return policy(`service-${name}`, servicePodLabels(name), { ingress, egress });
}

/** A store accepts its owner's pods only, plus its own pods (replication) and its operator. */
function storePolicy(owner: ServiceName, store: RenderedStore, pods: PodGroup): INetworkPolicy {
  const own = peerOf(pods);
  const ingress = [
    { from: [peerOf(servicePods(owner))], ports: tcp(store.clientPorts) },
    ...(store.peerPorts.length > 0 ? [{ from: [own], ports: tcp(store.peerPorts) }] : []),
    ...(store.operator ? [{ from: [peerOf(store.operator.pods)], ports: tcp(store.operator.ports) }] : []),
  ];
  const egress = [
    ...(store.peerPorts.length > 0 ? [{ to: [own], ports: tcp(store.peerPorts) }] : []),
    ...(store.callsApiServer ? [{ ports: tcp(apiServerPorts) }] : []),
  ];
  return policy(`store-${store.instance}`, pods.podLabels, { ingress, egress });
}

/** NATS accepts every client service and routes between its own servers. */
function natsPolicy(): INetworkPolicy {
  const own = peerOf(natsPods);
  return policy('nats', natsPods.podLabels, {
    ingress: [{ from: natsClients.map((name) => peerOf(servicePods(name))), ports: tcp([natsClientPort]) }, { from: [own], ports: tcp([natsClusterPort]) }],
    egress: [{ to: [own], ports: tcp([natsClusterPort]) }],
  });
}

/** Deny everything by default; every pod of the namespace may resolve names. */
function baselinePolicies(): INetworkPolicy[] {
  const dnsPorts: INetworkPolicyPort[] = [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ];
  const dns: INetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  };
  return [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', labels: { ...partOf } }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'dns', labels: { ...partOf } }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [dns], ports: dnsPorts }] } },
  ];
}

/** Every NetworkPolicy of the system, derived from the map: baseline, one per service, one per networked store, NATS. */
export function renderNetworkPolicies(stores: Map<ServiceName, RenderedStore>, overlay: OverlaySettings): INetworkPolicy[] {
  return [
    ...baselinePolicies(),
    ...serviceNames.map((name) => servicePolicy(name, stores.get(name), overlay)),
    ...[...stores].flatMap(([owner, store]) => (store.pods ? [storePolicy(owner, store, store.pods)] : [])),
    natsPolicy(),
  ];
}
