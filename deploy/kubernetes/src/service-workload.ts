import { addressVariable, peersOf, portVariables, systemMap, variablePrefix, type ServiceName } from '@shop/system-map';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { migrationCommand, nodeUser, serviceCommand, serviceConfigMap, serviceSecret } from './conventions.js';
import { servicePodLabels, serviceLabels } from './labels.js';
import { natsClientEnv, natsClients } from './nats.js';
import type { Manifest } from './manifest.js';
import type { OverlaySettings } from './settings.js';
import type { RenderedStore } from './stores/store-kind.js';

/** Secret settings a service needs besides its store credentials: the map does not describe them. */
export const secretSettings: { readonly [name in ServiceName]?: readonly string[] } = { gateway: ['GATEWAY_JWT_SECRET'] };

const containerSecurity: ISecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: nodeUser,
  runAsGroup: nodeUser,
  capabilities: { drop: ['ALL'] },
};

/** The ports a service listens on, by port name: gRPC always, HTTP where the map gives one. */
export function servicePorts(name: ServiceName): { name: string; port: number }[] {
  const spec = systemMap[name];
  return [{ name: 'grpc', port: spec.port }, ...(spec.httpPort ? [{ name: 'http', port: spec.httpPort }] : [])];
}

function grpcProbe(port: number, periodSeconds: number, failureThreshold: number): IProbe {
  return { grpc: { port }, periodSeconds, timeoutSeconds: 5, failureThreshold };
}

/**
 * The plain settings of a service, named as its config.ts reads them: where it listens (`<NAME>_HOST`, the port
 * variables of the map), its peers' addresses, the events namespace for a service on the bus (its NATS_URL carries
 * its password: see natsClientEnv), the log level, and the telemetry's service name and collector.
 */
export function serviceSettings(name: ServiceName, overlay: OverlaySettings): Record<string, string> {
  const spec = systemMap[name];
  const ports = portVariables(name);
  return {
    [`${variablePrefix(name)}_HOST`]: '0.0.0.0',
    [ports.grpc]: String(spec.port),
    ...(ports.http && spec.httpPort ? { [ports.http]: String(spec.httpPort) } : {}),
    ...Object.fromEntries(peersOf(name).map((peer) => [addressVariable(peer), `${peer}:${systemMap[peer].port}`])),
    ...(natsClients.includes(name) ? { EVENTS_NAMESPACE: '' } : {}),
    LOG_LEVEL: overlay.logLevel,
    OTEL_SERVICE_NAME: name,
    ...(overlay.telemetryCollector ? { OTEL_EXPORTER_OTLP_ENDPOINT: overlay.telemetryCollector.endpoint } : {}),
  };
}

function configMap(name: ServiceName, overlay: OverlaySettings): IConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: serviceConfigMap(name), labels: serviceLabels(name) }, data: serviceSettings(name, overlay) };
}

function secretEnv(name: ServiceName): IEnvVar[] {
  return (secretSettings[name] ?? []).map((variable) => ({ name: variable, valueFrom: { secretKeyRef: { name: serviceSecret(name), key: variable } } }));
}

const storeVolume = 'store';

function volumes(store: RenderedStore | undefined): IVolume[] {
  const embedded = store?.embedded ? [{ name: storeVolume, persistentVolumeClaim: { claimName: store.embedded.claimName } }] : [];
  return [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, ...embedded];
}

function volumeMounts(store: RenderedStore | undefined): IVolumeMount[] {
  return [{ name: 'tmp', mountPath: '/tmp' }, ...(store?.embedded ? [{ name: storeVolume, mountPath: store.embedded.mountPath }] : [])];
}

/** What the service's containers share: image, settings, store credentials, secret settings, security and mounts. */
function containerBase(name: ServiceName, store: RenderedStore | undefined, overlay: OverlaySettings): Omit<IContainer, 'name'> {
  return {
    image: overlay.image,
    imagePullPolicy: overlay.imagePullPolicy,
    envFrom: [{ configMapRef: { name: serviceConfigMap(name) } }],
    env: [...(store?.clientEnv ?? []), ...natsClientEnv(name), ...secretEnv(name)],
    securityContext: structuredClone(containerSecurity),
    volumeMounts: volumeMounts(store),
  };
}

/** The init container applying the service's own migrations, when the service has a migrate command. */
function migrationContainers(name: ServiceName, store: RenderedStore | undefined, overlay: OverlaySettings): IContainer[] {
  const command = migrationCommand(name);
  return command ? [{ name: 'migrate', ...containerBase(name, store, overlay), command, resources: structuredClone(overlay.migrationResources) }] : [];
}

function deployment(name: ServiceName, store: RenderedStore | undefined, overlay: OverlaySettings): IDeployment {
  const port = systemMap[name].port;
  const service: IContainer = {
    name,
    ...containerBase(name, store, overlay),
    command: serviceCommand(name),
    ports: servicePorts(name).map((entry) => ({ name: entry.name, containerPort: entry.port })),
    startupProbe: grpcProbe(port, 5, 24),
    readinessProbe: grpcProbe(port, 10, 3),
    livenessProbe: grpcProbe(port, 20, 3),
    resources: structuredClone(overlay.serviceResources),
  };
  const init = migrationContainers(name, store, overlay);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: serviceLabels(name) },
    spec: {
      selector: { matchLabels: servicePodLabels(name) },
      ...(store?.embedded
        ? { replicas: 1, strategy: { type: 'Recreate' } }
        : { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }),
      template: {
        metadata: { labels: serviceLabels(name) },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: nodeUser, runAsGroup: nodeUser, fsGroup: nodeUser, seccompProfile: { type: 'RuntimeDefault' } },
          ...(init.length > 0 ? { initContainers: init } : {}),
          containers: [service],
          volumes: volumes(store),
          terminationGracePeriodSeconds: 30,
        },
      },
    },
  };
}

/**
 * The objects of one service: ServiceAccount, ConfigMap, Deployment (the migrations of its own store as an init
 * container), Service, PodDisruptionBudget and HorizontalPodAutoscaler (none for the single writer of an embedded
 * store, whose file lives on a volume only one pod mounts).
 */
export function renderService(name: ServiceName, store: RenderedStore | undefined, overlay: OverlaySettings): Manifest[] {
  const labels = serviceLabels(name);
  const account: IServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, labels }, automountServiceAccountToken: false };
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: {
      selector: servicePodLabels(name),
      ports: servicePorts(name).map((entry) => ({ name: entry.name, port: entry.port, targetPort: entry.name, appProtocol: entry.name === 'grpc' ? 'grpc' : 'http' })),
    },
  };
  const budget: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: servicePodLabels(name) } },
  };
  const autoscaler: IHorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: overlay.autoscaling.minReplicas,
      maxReplicas: overlay.autoscaling.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: overlay.autoscaling.cpuUtilization } } }],
    },
  };
  return [account, configMap(name, overlay), deployment(name, store, overlay), service, budget, ...(store?.embedded ? [] : [autoscaler])] as Manifest[];
}
