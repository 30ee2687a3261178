import type { ServiceName, StoreSpec } from '@shop/system-map';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { storeLabels } from '../labels.js';
import type { Manifest } from '../manifest.js';
import type { OverlaySettings } from '../settings.js';
import type { RenderedStore } from './store-kind.js';

const mountPath = '/var/lib/shop/analytics';

/**
 * An embedded DuckDB store: no pods and no operator, only a PersistentVolumeClaim for the owner's file, mounted into
 * the owner's single pod (the file has one writer: one replica, no autoscaling).
 */
export function renderDuckdb(owner: ServiceName, store: StoreSpec, overlay: OverlaySettings): RenderedStore {
  const instance = `${owner}-duckdb`;
  const claim: IPersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: instance, labels: storeLabels(owner, instance) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: overlay.name === 'production' ? '20Gi' : '1Gi' } } },
  };
  return {
    instance,
    objects: [claim as Manifest],
    clientPorts: [],
    peerPorts: [],
    callsApiServer: false,
    clientEnv: [{ name: store.urlVariable, value: `${mountPath}/${store.namespace}` }],
    secrets: [],
    embedded: { claimName: instance, mountPath },
  };
}
