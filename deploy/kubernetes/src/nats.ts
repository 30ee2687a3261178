import { serviceNames } from '@shop/system-map';
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

/** The services that connect to NATS: every service of the map (per-service NATS users come with the bus permissions). */
export const natsClients = serviceNames;

const locked = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

/** Values for the chart: JetStream on a PVC, clustered when there is more than one server, non-root, no nats-box. */
export function natsValues(overlay: OverlaySettings): Record<string, unknown> {
  const settings = overlay.stores.nats;
  return {
    fullnameOverride: natsRelease,
    config: {
      cluster: settings.instances > 1 ? { enabled: true, replicas: settings.instances, port: natsClusterPort } : { enabled: false },
      jetstream: { enabled: true, fileStore: { enabled: true, pvc: { enabled: true, size: settings.storage } } },
      nats: { port: natsClientPort },
      monitor: { enabled: true },
    },
    container: { resources: settings.resources, merge: { securityContext: locked } },
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
