import type { ServiceName, StoreSpec } from '@shop/system-map';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { storeCredentialsSecret } from '../conventions.js';
import { storeLabels } from '../labels.js';
import type { Manifest } from '../manifest.js';
import type { OverlaySettings } from '../settings.js';
import { secretEnv, type RenderedStore } from './store-kind.js';

/** The Redis server image, the same major as docker-compose's. */
export const redisImage = 'redis:7.4';

const port = 6379;
const redisUser = 999;
const passwordVariable = 'STORE_PASSWORD';

/** The ACL line of the owner's user: its key pattern only, no channels, no dangerous commands. */
export function redisAclRule(store: StoreSpec): string {
  return `user ${store.user} on >\${OWNER_PASSWORD} resetkeys ~${store.namespace} resetchannels +@all -@dangerous +info`;
}

const lockedDown: ISecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: redisUser,
  runAsGroup: redisUser,
  capabilities: { drop: ['ALL'] },
};

/**
 * A Redis StatefulSet of the owner's own (no operator is needed for one node with AOF): the default user off, an
 * `admin` user for operators and probes, and the owner's user limited by the ACL to its key pattern.
 */
export function renderRedis(owner: ServiceName, store: StoreSpec, overlay: OverlaySettings): RenderedStore {
  const instance = `${owner}-redis`;
  const settings = overlay.stores.redis;
  const labels = storeLabels(owner, instance);
  const podLabels = { 'app.kubernetes.io/name': instance, 'app.kubernetes.io/component': 'store' };
  const credentials = storeCredentialsSecret(owner);
  const adminSecret = `${instance}-admin`;
  const acl = ['user default off', 'user admin on >${ADMIN_PASSWORD} ~* &* +@all', redisAclRule(store)].join('\n');
  const config: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${instance}-config`, labels },
    data: {
      'redis.conf': ['bind 0.0.0.0', `port ${port}`, 'dir /data', 'appendonly yes', 'aclfile /run/redis/users.acl', 'protected-mode yes'].join('\n') + '\n',
      'users.acl.template': `${acl}\n`,
      'render-acl.sh': [
        '#!/bin/sh',
        'set -eu',
        'for value in "$ADMIN_PASSWORD" "$OWNER_PASSWORD"; do',
        '  case "$value" in "" | *[!A-Za-z0-9._~-]*) echo "redis acl: passwords must be set, using only letters, digits and . _ ~ -" >&2; exit 1 ;; esac',
        'done',
        'sed -e "s/\\${ADMIN_PASSWORD}/$ADMIN_PASSWORD/" -e "s/\\${OWNER_PASSWORD}/$OWNER_PASSWORD/" /etc/redis/users.acl.template > /run/redis/users.acl',
      ].join('\n') + '\n',
    },
  };
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: instance, labels },
    spec: { selector: podLabels, ports: [{ name: 'redis', port, targetPort: port }] },
  };
  const statefulSet: IStatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: instance, labels },
    spec: {
      serviceName: instance,
      replicas: settings.instances,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: { ...labels, ...podLabels } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: redisUser, runAsGroup: redisUser, fsGroup: redisUser, seccompProfile: { type: 'RuntimeDefault' } },
          initContainers: [
            {
              name: 'render-acl',
              image: redisImage,
              command: ['sh', '/etc/redis/render-acl.sh'],
              env: [secretEnv('ADMIN_PASSWORD', adminSecret, 'password'), secretEnv('OWNER_PASSWORD', credentials, 'password')],
              volumeMounts: [
                { name: 'config', mountPath: '/etc/redis' },
                { name: 'acl', mountPath: '/run/redis' },
              ],
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
              securityContext: lockedDown,
            },
          ],
          containers: [
            {
              name: 'redis',
              image: redisImage,
              command: ['redis-server', '/etc/redis/redis.conf'],
              ports: [{ name: 'redis', containerPort: port }],
              env: [secretEnv('REDISCLI_AUTH', adminSecret, 'password')],
              readinessProbe: { exec: { command: ['sh', '-c', 'redis-cli --user admin ping | grep -qx PONG'] }, periodSeconds: 5, timeoutSeconds: 3 },
              livenessProbe: { tcpSocket: { port }, periodSeconds: 10, failureThreshold: 6 },
              resources: settings.resources,
              securityContext: lockedDown,
              volumeMounts: [
                { name: 'config', mountPath: '/etc/redis', readOnly: true },
                { name: 'acl', mountPath: '/run/redis', readOnly: true },
                { name: 'data', mountPath: '/data' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: `${instance}-config` } },
            { name: 'acl', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
          ],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: settings.storage } } } }],
    },
  };
  return {
    instance,
    objects: [config, service, statefulSet] as Manifest[],
    pods: { podLabels },
    clientPorts: [port],
    peerPorts: [],
    callsApiServer: false,
    clientEnv: [secretEnv(passwordVariable, credentials, 'password'), { name: store.urlVariable, value: `redis://${store.user}:$(${passwordVariable})@${instance}:${port}` }],
    secrets: [
      { name: credentials, type: 'Opaque', keys: { password: `the password of ${store.user} (URL-safe)` } },
      { name: adminSecret, type: 'Opaque', keys: { password: 'the password of the Redis admin user (operators and probes only)' } },
    ],
  };
}
