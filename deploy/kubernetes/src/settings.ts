import type { PodGroup } from './stores/store-kind.js';

/** An OpenTelemetry Collector the cluster runs, receiving OTLP over HTTP. */
export interface TelemetryCollector {
  /** OTEL_EXPORTER_OTLP_ENDPOINT of every service. */
  readonly endpoint: string;
  /** The collector's pods, which the services' egress policies admit on `port`. */
  readonly pods: PodGroup;
  readonly port: number;
}

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Size and placement of one store. */
export interface StoreSettings {
  /** Pods of the store (database instances, replica set members, Elasticsearch nodes). */
  readonly instances: number;
  readonly storage: string;
  readonly resources: ContainerResources;
}

/** Everything that differs between the places the system is deployed to. */
export interface OverlaySettings {
  readonly name: OverlayName;
  /** The one image every service runs from, `repository:tag`. */
  readonly image: string;
  readonly imagePullPolicy: 'IfNotPresent' | 'Always';
  readonly autoscaling: { readonly minReplicas: number; readonly maxReplicas: number; readonly cpuUtilization: number };
  readonly serviceResources: ContainerResources;
  readonly migrationResources: ContainerResources;
  /** Stores by engine; a PostgreSQL store whose owner reads from a replica always gets at least two instances. */
  readonly stores: { readonly [engine in 'postgresql' | 'mongodb' | 'elasticsearch' | 'redis' | 'nats']: StoreSettings };
  /** The volume of each embedded store (a database file in its owner's pod). */
  readonly embeddedStoreStorage: string;
  /** The namespace of the ingress controller, the only source of `ingress` callers. */
  readonly ingressNamespace: string;
  readonly ingressClassName: string;
  /** Host name of the public endpoint. */
  readonly host: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Where traces and metrics go; without one the telemetry preload loads nothing and nothing is exported. */
  readonly telemetryCollector?: TelemetryCollector;
}

/** The overlays rendered under deploy/kubernetes/overlays/. */
export const overlayNames = ['local', 'production'] as const;

/** One of the overlays. */
export type OverlayName = (typeof overlayNames)[number];

const small = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ContainerResources => ({
  requests: { cpu, memory },
  limits: { cpu: cpuLimit, memory: memoryLimit },
});

/** The namespace every object of the system lives in. */
export const namespace = 'shop';

/** The settings of every overlay: local (kind or k3d on one machine) and production. */
export const overlays: { readonly [name in OverlayName]: OverlaySettings } = {
  local: {
    name: 'local',
    image: 'shop-services:local',
    imagePullPolicy: 'IfNotPresent',
    autoscaling: { minReplicas: 1, maxReplicas: 2, cpuUtilization: 80 },
    serviceResources: small('50m', '128Mi', '500m', '384Mi'),
    migrationResources: small('50m', '96Mi', '500m', '256Mi'),
    stores: {
      postgresql: { instances: 1, storage: '1Gi', resources: small('100m', '256Mi', '1', '512Mi') },
      mongodb: { instances: 1, storage: '1Gi', resources: small('100m', '384Mi', '1', '768Mi') },
      elasticsearch: { instances: 1, storage: '2Gi', resources: small('200m', '1Gi', '1', '1Gi') },
      redis: { instances: 1, storage: '1Gi', resources: small('50m', '64Mi', '500m', '256Mi') },
      nats: { instances: 1, storage: '1Gi', resources: small('50m', '64Mi', '500m', '256Mi') },
    },
    embeddedStoreStorage: '1Gi',
    ingressNamespace: 'ingress-nginx',
    ingressClassName: 'nginx',
    host: 'shop.localhost',
    logLevel: 'debug',
  },
  production: {
    name: 'production',
    image: 'registry.example.com/shop/services:1.0.0',
    imagePullPolicy: 'IfNotPresent',
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 },
    serviceResources: small('250m', '256Mi', '1', '512Mi'),
    migrationResources: small('100m', '128Mi', '500m', '256Mi'),
    stores: {
      postgresql: { instances: 3, storage: '20Gi', resources: small('500m', '1Gi', '2', '2Gi') },
      mongodb: { instances: 3, storage: '20Gi', resources: small('500m', '1Gi', '2', '2Gi') },
      elasticsearch: { instances: 3, storage: '50Gi', resources: small('1', '4Gi', '2', '4Gi') },
      redis: { instances: 1, storage: '5Gi', resources: small('250m', '256Mi', '1', '512Mi') },
      nats: { instances: 3, storage: '10Gi', resources: small('250m', '256Mi', '1', '1Gi') },
    },
    embeddedStoreStorage: '20Gi',
    ingressNamespace: 'ingress-nginx',
    ingressClassName: 'nginx',
    host: 'shop.example.com',
    logLevel: 'info',
    telemetryCollector: {
      endpoint: 'http://otel-collector.observability:4318',
      pods: { namespace: 'observability', podLabels: { 'app.kubernetes.io/name': 'opentelemetry-collector' } },
      port: 4318,
    },
  },
};
