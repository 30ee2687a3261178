import { addressVariable, peersOf, systemMap, variablePrefix, type ServiceName } from '@shop/system-map';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { natsClientPort, natsRelease, nodeUser, serviceCommand, serviceConfigMap, serviceSecret } from './conventions.js';
import { servicePodLabels, serviceLabels } from './labels.js';
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

/** The plain settings of a service: where it listens, its peers' addresses, the bus and the log level. */
function configMap(name: ServiceName, overlay: OverlaySettings): IConfigMap {
  const prefix = variablePrefix(name);
  const spec = systemMap[name];
  const data: Record<string, string> = {
    [`${prefix}_HOST`]: '0.0.0.0',
    [`${prefix}_PORT`]: String(spec.port),
    ...(spec.httpPort ? { [`${prefix}_HTTP_PORT`]: String(spec.httpPort) } : {}),
    ...Object.fromEntries(peersOf(name).map((peer) => [addressVariable(peer), `${peer}:${systemMap[peer].port}`])),
    NATS_URL: `nats://${natsRelease}:${natsClientPort}`,
    EVENTS_NAMESPACE: '',
    LOG_LEVEL: overlay.logLevel,
    OTEL_SERVICE_NAME: name,
    NODE_ENV: 'production',
  };
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: serviceConfigMap(name), labels: serviceLabels(name) }, data };
}

function secretEnv(name: ServiceName): IEnvVar[] {
  return (secretSettings[name] ?? []).map((variable) => ({ name: variable, valueFrom: { secretKeyRef: { name: serviceSecret(name), key: variable } } }));
}

function migrationContainer(name: ServiceName, store: RenderedStore, overlay: OverlaySettings): IContainer {
  return {
    name: 'migrate',
    image: overlay.image,
    imagePullPolicy: overlay.imagePullPolicy,
    command: serviceCommand(name, 'migrate'),
    envFrom: [{ configMapRef: { name: serviceConfigMap(name) } }],
    env: store.clientEnv,
    resources: overlay.migrationResources,
    securityContext: containerSecurity,
    volumeMounts: volumeMounts(store),
  };
}

function volumeMounts(store: RenderedStore | undefined): { name: string; mountPath: string }[] {
  return [{ name: 'tmp', mountPath: '/tmp' }, ...(store?.embedded ? [{ name: 'store', mountPath: store.embedded.mountPath }] : [])];
}

function deployment(name: ServiceName, store: RenderedStore | undefined, overlay: OverlaySettings): IDeployment {
  const port = systemMap[name].port;
  const service: IContainer = {
    name,
    image: overlay.image,
    imagePullPolicy: overlay.imagePullPolicy,
    command: serviceCommand(name, 'main'),
    ports: servicePorts(name).map((entry) => ({ name: entry.name, containerPort: entry.port })),
    envFrom: [{ configMapRef: { name: serviceConfigMap(name) } }],
    env: [...(store?.clientEnv ?? []), ...secretEnv(name)],
    startupProbe: grpcProbe(port, 5, 24),
    readinessProbe: grpcProbe(port, 10, 3),
    livenessProbe: grpcProbe(port, 20, 3),
    resources: overlay.serviceResources,
    securityContext: containerSecurity,
    volumeMounts: volumeMounts(store),
  };
  const embedded = store?.embedded;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: serviceLabels(name) },
    spec: {
      selector: { matchLabels: servicePodLabels(name) },
      ...(embedded ? { replicas: 1, strategy: { type: 'Recreate' } } : { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }),
      template: {
        metadata: { labels: serviceLabels(name) },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: nodeUser, runAsGroup: nodeUser, fsGroup: nodeUser, seccompProfile: { type: 'RuntimeDefault' } },
          ...(store ? { initContainers: [migrationContainer(name, store, overlay)] } : {}),
          containers: [service],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, ...(embedded ? [{ name: 'store', persistentVolumeClaim: { claimName: embedded.claimName } }] : [])],
          terminationGracePeriodSeconds: 30,
        },
      },
    },
  };
}

/**
 * The objects of one service: ServiceAccount, ConfigMap, Deployment (the migrations of its own store as an init
 * container), Service, PodDisruptionBudget and HorizontalPodAutoscaler (none for an embedded store's single writer).
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
