import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ServiceName, StoreSpec } from '@shop/system-map';
import type { Manifest } from '../manifest.js';
import type { OverlaySettings } from '../settings.js';

/** Pods a network rule points at: a label selector, in the system's namespace unless another one is named. */
export interface PodGroup {
  readonly podLabels: Record<string, string>;
  /** Another namespace, by name; the system's own namespace when absent. */
  readonly namespace?: string;
}

/** A Secret the operator of the cluster creates before the first apply. */
export interface RequiredSecret {
  readonly name: string;
  /** Keys and what each holds. */
  readonly keys: Record<string, string>;
  readonly type: 'Opaque' | 'kubernetes.io/basic-auth';
}

/** A store rendered for its owning service. */
export interface RenderedStore {
  /** The instance name, e.g. `orders-db`. */
  readonly instance: string;
  /** Operator custom resources and the few supporting objects. */
  readonly objects: Manifest[];
  /** The store's pods and the ports its owner connects to; none for an embedded store. */
  readonly pods?: PodGroup;
  readonly clientPorts: readonly number[];
  /** Ports the store's pods use among themselves (replication, cluster transport). */
  readonly peerPorts: readonly number[];
  /** The operator's pods and the ports it reaches the store's pods on. */
  readonly operator?: { readonly pods: PodGroup; readonly ports: readonly number[] };
  /** Whether the store's pods call the Kubernetes API (instance managers, agents). */
  readonly callsApiServer: boolean;
  /** The owner's environment: the store URL variables with its own credentials, from Secrets. */
  readonly clientEnv: IEnvVar[];
  readonly secrets: readonly RequiredSecret[];
  /** An embedded store (a file in the owner's pod): the claim holding it and where the owner mounts it. */
  readonly embedded?: { readonly claimName: string; readonly mountPath: string };
}

/** Renders one engine's store for an owning service. */
export type StoreRenderer = (owner: ServiceName, store: StoreSpec, overlay: OverlaySettings) => RenderedStore;

/** An environment variable read from a Secret key. */
export function secretEnv(name: string, secret: string, key: string): IEnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}
