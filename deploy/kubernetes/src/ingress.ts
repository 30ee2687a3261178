import { systemMap, type ServiceName } from '@shop/system-map';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { serviceLabels } from './labels.js';
import type { OverlaySettings } from './settings.js';

/** The services the map lets callers outside the system reach. */
export function publicServices(names: readonly ServiceName[]): ServiceName[] {
  return names.filter((name) => systemMap[name].callers.includes('ingress'));
}

/** An Ingress for a public service: its HTTP port where it has one (the Connect protocol), its gRPC port otherwise. */
export function renderIngress(name: ServiceName, overlay: OverlaySettings): IIngress {
  const http = systemMap[name].httpPort !== undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      labels: serviceLabels(name),
      ...(http ? {} : { annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' } }),
    },
    spec: {
      ingressClassName: overlay.ingressClassName,
      rules: [
        {
          host: overlay.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: http ? 'http' : 'grpc' } } } }] },
        },
      ],
    },
  };
}
