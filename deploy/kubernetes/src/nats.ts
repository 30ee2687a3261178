import { busUsers, natsPasswordVariable, natsPermissionsOf, natsUserOf, type ServiceName } from '@shop/system-map';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { natsClientPort, natsRelease, nodeUser } from './conventions.js';
import type { OverlaySettings } from './settings.js';
import type { PodGroup } from './stores/store-kind.js';

/** The NATS Helm chart (nats-io/k8s, chart `nats`) these values are written for. */
export const natsChart = { repository: 'https://nats-io.github.io/k8s/helm/charts/', name: 'nats', version: '2.14.2' } as const;

/** The NATS server pods, as the chart labels them. */
export const natsPods: PodGroup = {
  podLabels: { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': natsRelease, 'app.kubernetes.io/component': 'nats' },
};

/** The port NATS servers route between each other on. */
export const natsClusterPort = 6222;

/** The services that connect to NATS: those that publish or consume events (the gateway does neither). */
export const natsClients = busUsers();

/** The Secret holding every service's NATS password, one key per service (`<NAME>_NATS_PASSWORD`). */
export const natsUsersSecret = 'nats-users';

const passwordFromSecret = (name: ServiceName) => ({ valueFrom: { secretKeyRef: { name: natsUsersSecret, key: natsPasswordVariable(name) } } });

/** A service's NATS connection: its own password from the Secret, then NATS_URL as its own user (Kubernetes expands the password). */
export function natsClientEnv(name: ServiceName): IEnvVar[] {
  if (!natsClients.includes(name)) return [];
  const password = natsPasswordVariable(name);
  return [
    { name: password, ...passwordFromSecret(name) },
    { name: 'NATS_URL', value: `nats://${natsUserOf(name)}:$(${password})@${natsRelease}:${natsClientPort}` },
  ];
}

/**
 * The chart's `config.merge` authorization: one user per service, with the permissions the system map gives it
 * (natsPermissionsOf: its own subjects and stream, its own durable consumers); passwords are the server container's
 * environment variables (`<< $VAR >>` is written unquoted), from the Secret.
 */
export function natsAuthorization(): Record<string, unknown> {
  const users = natsClients.map((name) => {
    const { publish, subscribe } = natsPermissionsOf(name);
    return { user: natsUserOf(name), password: `<< $${natsPasswordVariable(name)} >>`, permissions: { publish: { allow: publish }, subscribe: { allow: subscribe } } };
  });
  return { authorization: { users } };
}

const locked = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

/** Values for the chart: JetStream on a PVC, clustered when there is more than one server, a user per service, non-root, no nats-box. */
export function natsValues(overlay: OverlaySettings): Record<string, unknown> {
  const settings = overlay.stores.nats;
  return {
    fullnameOverride: natsRelease,
    config: {
      cluster: settings.instances > 1 ? { enabled: true, replicas: settings.instances, port: natsClusterPort } : { enabled: false },
      jetstream: { enabled: true, fileStore: { enabled: true, pvc: { enabled: true, size: settings.storage } } },
      nats: { port: natsClientPort },
      monitor: { enabled: true },
      merge: natsAuthorization(),
    },
    container: {
      env: Object.fromEntries(natsClients.map((name) => [natsPasswordVariable(name), passwordFromSecret(name)])),
      resources: settings.resources,
      merge: { securityContext: locked },
    },
    reloader: { enabled: true, merge: { securityContext: locked } },
    podTemplate: {
      merge: {
        spec: { securityContext: { runAsNonRoot: true, runAsUser: nodeUser, runAsGroup: nodeUser, fsGroup: nodeUser, seccompProfile: { type: 'RuntimeDefault' } } },
      },
    },
    podDisruptionBudget: { enabled: true },
    natsBox: { enabled: false },
  };
}
