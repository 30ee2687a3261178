import type { ServiceName, StoreSpec } from '@shop/system-map';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { storeLabels } from '../labels.js';
import type { Manifest } from '../manifest.js';
import type { OverlaySettings } from '../settings.js';
import type { RenderedStore } from './store-kind.js';

/** Where the owner's pod mounts the volume of its embedded store. */
export const embeddedStoreMountPath = '/var/lib/shop';

/**
 * An embedded store (a database file inside the owner's process, DuckDB say): no pods, no operator, no network
 * policy, only a PersistentVolumeClaim mounted by the owner's single pod; its URL variable carries the file's path
 * (the map's namespace, under the mount).
 */
export function renderEmbeddedStore(owner: ServiceName, store: StoreSpec, overlay: OverlaySettings): RenderedStore {
  const instance = `${owner}-${store.engine}`;
  const claim: IPersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: instance, labels: storeLabels(owner, instance) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: overlay.embeddedStoreStorage } } },
  };
  return {
    instance,
    objects: [claim as Manifest],
    clientPorts: [],
    peerPorts: [],
    callsApiServer: false,
    clientEnv: [{ name: store.urlVariable, value: `${embeddedStoreMountPath}/${store.namespace}` }],
    secrets: [],
    embedded: { claimName: instance, mountPath: embeddedStoreMountPath },
  };
}
