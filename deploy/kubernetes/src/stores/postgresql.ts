import type { ServiceName, StoreSpec } from '@shop/system-map';
import { storeCredentialsSecret } from '../conventions.js';
import { storeLabels } from '../labels.js';
import type { OverlaySettings } from '../settings.js';
import { secretEnv, type RenderedStore } from './store-kind.js';

/** The PostgreSQL major version, the same as docker-compose's. */
export const postgresImage = 'ghcr.io/cloudnative-pg/postgresql:17.6';

const port = 5432;
const passwordVariable = 'STORE_PASSWORD';

/**
 * A CloudNativePG Cluster of the owner's own: database and owner role from the map, bootstrapped by initdb with the
 * owner's Secret; a store with a replica URL gets at least one streaming replica, read through the `-ro` Service.
 */
export function renderPostgresql(owner: ServiceName, store: StoreSpec, overlay: OverlaySettings): RenderedStore {
  const instance = `${owner}-db`;
  const settings = overlay.stores.postgresql;
  const instances = store.replicaUrlVariable ? Math.max(2, settings.instances) : settings.instances;
  const secret = storeCredentialsSecret(owner);
  const url = (service: 'rw' | 'ro') => `postgres://${store.user}:$(${passwordVariable})@${instance}-${service}:${port}/${store.namespace}`;
  const cluster = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: instance, labels: storeLabels(owner, instance) },
    spec: {
      instances,
      imageName: postgresImage,
      enableSuperuserAccess: false,
      bootstrap: { initdb: { database: store.namespace, owner: store.user, secret: { name: secret } } },
      postgresql: { parameters: { max_connections: '200' } },
      storage: { size: settings.storage },
      resources: settings.resources,
      inheritedMetadata: { labels: storeLabels(owner, instance) },
    },
  };
  return {
    instance,
    objects: [cluster],
    pods: { podLabels: { 'cnpg.io/cluster': instance } },
    clientPorts: [port],
    peerPorts: [port, 8000],
    operator: { pods: { namespace: 'cnpg-system', podLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } }, ports: [8000, port] },
    callsApiServer: true,
    clientEnv: [
      secretEnv(passwordVariable, secret, 'password'),
      { name: store.urlVariable, value: url('rw') },
      ...(store.replicaUrlVariable ? [{ name: store.replicaUrlVariable, value: url('ro') }] : []),
    ],
    secrets: [
      {
        name: secret,
        type: 'kubernetes.io/basic-auth',
        keys: { username: store.user, password: `the password of ${store.user} (letters, digits, . _ ~ - only: it goes into a URL)` },
      },
    ],
  };
}
