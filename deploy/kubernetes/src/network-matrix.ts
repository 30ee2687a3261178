import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { Manifest } from './manifest.js';

type LabelSelector = NonNullable<NonNullable<INetworkPolicy['spec']>['podSelector']>;

/** A group of pods the matrix is computed over: where they run, their labels and the ports they listen on. */
export interface Workload {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol?: string }[];
}

/** Whether a label selector selects a set of labels (matchLabels and every matchExpressions operator). */
export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const exact = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    if (operator === 'In') return value !== undefined && values.includes(value);
    if (operator === 'NotIn') return value === undefined || !values.includes(value);
    if (operator === 'Exists') return value !== undefined;
    if (operator === 'DoesNotExist') return value === undefined;
    throw new Error(`unknown label selector operator ${operator}`);
  });
  return exact && expressions;
}

const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

/** Whether a policy peer (in a policy of the given namespace) covers a workload; an ipBlock covers no pod here. */
function peerCovers(peer: INetworkPolicyPeer, policyNamespace: string, workload: Workload): boolean {
  if (peer.ipBlock) return false;
  const inNamespace = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(workload.namespace)) : workload.namespace === policyNamespace;
  return inNamespace && selects(peer.podSelector, workload.labels);
}

/** Whether a policy port entry covers a port of the destination (numbers, names, ranges, protocol TCP by default). */
function portCovers(entry: INetworkPolicyPort, port: Workload['ports'][number]): boolean {
  if ((entry.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'string') return entry.port === port.name;
  return entry.endPort === undefined ? entry.port === port.port : port.port >= entry.port && port.port <= entry.endPort;
}

interface Rule {
  readonly peers?: INetworkPolicyPeer[];
  readonly ports?: INetworkPolicyPort[];
}

function ruleAdmits(rule: Rule, policyNamespace: string, other: Workload, port: Workload['ports'][number]): boolean {
  const peerOk = rule.peers === undefined || rule.peers.length === 0 || rule.peers.some((peer) => peerCovers(peer, policyNamespace, other));
  const portOk = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((entry) => portCovers(entry, port));
  return peerOk && portOk;
}

function policiesOf(objects: readonly Manifest[]): (INetworkPolicy & { metadata: { namespace: string } })[] {
  return objects.filter((object) => object.kind === 'NetworkPolicy') as unknown as (INetworkPolicy & { metadata: { namespace: string } })[];
}

type Direction = 'Ingress' | 'Egress';

function directionOf(policy: INetworkPolicy, direction: Direction): boolean {
  const types = policy.spec?.policyTypes ?? (policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  return types.includes(direction);
}

/**
 * Whether the policies let `subject` take part in a connection with `other` on `port` in one direction: a pod no
 * policy of that direction selects is open; otherwise one rule of a selecting policy must admit the connection.
 */
function sideAllows(policies: ReturnType<typeof policiesOf>, direction: Direction, subject: Workload, other: Workload, port: Workload['ports'][number]): boolean {
  const selecting = policies.filter(
    (policy) => policy.metadata.namespace === subject.namespace && directionOf(policy, direction) && selects(policy.spec?.podSelector, subject.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) => {
    const rules: Rule[] =
      direction === 'Ingress'
        ? (policy.spec?.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports }))
        : (policy.spec?.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }));
    return rules.some((rule) => ruleAdmits(rule, policy.metadata.namespace, other, port));
  });
}

/** One allowed connection: `source → destination:port`. */
export type Connection = string;

const connection = (source: Workload, destination: Workload, port: number): Connection => `${source.name} → ${destination.name}:${port}`;

/** What the policies allow, seen from each side: the destination's ingress and the source's egress. */
export interface NetworkMatrix {
  /** Connections the destination's ingress policies admit, for destinations in a namespace the policies cover. */
  readonly ingress: Set<Connection>;
  /** Connections the source's egress policies admit, for sources in a namespace the policies cover. */
  readonly egress: Set<Connection>;
}

/** Evaluates the rendered NetworkPolicies for every pair of workloads and port, for the namespaces the policies live in. */
export function networkMatrix(objects: readonly Manifest[], workloads: readonly Workload[]): NetworkMatrix {
  const policies = policiesOf(objects);
  const governed = new Set(policies.map((policy) => policy.metadata.namespace));
  const ingress = new Set<Connection>();
  const egress = new Set<Connection>();
  for (const source of workloads) {
    for (const destination of workloads) {
      for (const port of destination.ports) {
        if (governed.has(destination.namespace) && sideAllows(policies, 'Ingress', destination, source, port)) ingress.add(connection(source, destination, port.port));
        if (governed.has(source.namespace) && sideAllows(policies, 'Egress', source, destination, port)) egress.add(connection(source, destination, port.port));
      }
    }
  }
  return { ingress, egress };
}

/** The differences between what the policies allow and what is expected, one line each; empty when they agree. */
export function matrixViolations(matrix: NetworkMatrix, expected: { ingress: Set<Connection>; egress: Set<Connection> }): string[] {
  const sides = ['ingress', 'egress'] as const;
  return sides.flatMap((side) => [
    ...[...matrix[side]].filter((entry) => !expected[side].has(entry)).map((entry) => `${side} allows ${entry}, which the system map does not`),
    ...[...expected[side]].filter((entry) => !matrix[side].has(entry)).map((entry) => `${side} blocks ${entry}, which the system map allows`),
  ]);
}
