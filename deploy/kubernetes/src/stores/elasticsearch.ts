import { readFileSync } from 'node:fs';
import type { ServiceName, StoreSpec } from '@shop/system-map';
import { stringify } from 'yaml';
import { storeCredentialsSecret } from '../conventions.js';
import { storeLabels } from '../labels.js';
import type { Manifest } from '../manifest.js';
import type { OverlaySettings } from '../settings.js';
import { secretEnv, type RenderedStore } from './store-kind.js';

const httpPort = 9200;
const transportPort = 9300;
const passwordVariable = 'STORE_PASSWORD';

/** The Elasticsearch version for an owner: the major and minor of the client its package.json pins, patch 0. */
export function elasticsearchVersion(owner: ServiceName, driver: string): string {
  const manifest = JSON.parse(readFileSync(new URL(`../../../../services/${owner}/package.json`, import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const pinned = manifest.dependencies?.[driver];
  const match = pinned ? /(\d+)\.(\d+)\.\d+/.exec(pinned) : null;
  if (!match) throw new Error(`services/${owner}/package.json pins no version of ${driver}`);
  return `${match[1]}.${match[2]}.0`;
}

/**
 * An ECK Elasticsearch cluster of the owner's own, HTTP inside the cluster, with the owner's user in the file realm
 * and a role granting it every privilege on its index pattern only (plus cluster monitor, for ping).
 */
export function renderElasticsearch(owner: ServiceName, store: StoreSpec, overlay: OverlaySettings): RenderedStore {
  const instance = `${owner}-elasticsearch`;
  const settings = overlay.stores.elasticsearch;
  const rolesSecret = `${instance}-roles`;
  const credentials = storeCredentialsSecret(owner);
  const roles: Manifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: rolesSecret, labels: storeLabels(owner, instance) },
    type: 'Opaque',
    stringData: { 'roles.yml': stringify({ [store.user]: { cluster: ['monitor'], indices: [{ names: [store.namespace], privileges: ['all'] }] } }) },
  };
  const cluster: Manifest = {
    apiVersion: 'elasticsearch.k8s.elastic.co/v1',
    kind: 'Elasticsearch',
    metadata: { name: instance, labels: storeLabels(owner, instance) },
    spec: {
      version: elasticsearchVersion(owner, store.driver),
      http: { tls: { selfSignedCertificate: { disabled: true } } },
      auth: { roles: [{ secretName: rolesSecret }], fileRealm: [{ secretName: credentials }] },
      nodeSets: [
        {
          name: 'default',
          count: settings.instances,
          config: { 'node.store.allow_mmap': false },
          podTemplate: { spec: { containers: [{ name: 'elasticsearch', resources: settings.resources }] } },
          volumeClaimTemplates: [
            {
              metadata: { name: 'elasticsearch-data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: settings.storage } } },
            },
          ],
        },
      ],
    },
  };
  return {
    instance,
    objects: [cluster, roles],
    pods: { podLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': instance } },
    clientPorts: [httpPort],
    peerPorts: [transportPort],
    operator: { pods: { namespace: 'elastic-system', podLabels: { 'control-plane': 'elastic-operator' } }, ports: [httpPort] },
    callsApiServer: false,
    clientEnv: [
      secretEnv(passwordVariable, credentials, 'password'),
      { name: store.urlVariable, value: `http://${store.user}:$(${passwordVariable})@${instance}-es-http:${httpPort}` },
    ],
    secrets: [
      {
        name: credentials,
        type: 'kubernetes.io/basic-auth',
        keys: { username: store.user, password: `the password of ${store.user} (URL-safe)`, roles: store.user },
      },
    ],
  };
}
