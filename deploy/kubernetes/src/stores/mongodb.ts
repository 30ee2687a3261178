import type { ServiceName, StoreSpec } from '@shop/system-map';
import { storeCredentialsSecret } from '../conventions.js';
import { storeLabels } from '../labels.js';
import type { Manifest } from '../manifest.js';
import type { OverlaySettings } from '../settings.js';
import { secretEnv, type RenderedStore } from './store-kind.js';

/** The MongoDB server version, the same major as docker-compose's. */
export const mongoVersion = '7.0.24';

const port = 27017;

/**
 * The roles of the owner's user, on its own database only: readWrite for the data, dbAdmin for its migrations
 * (collections with validators, collMod of a validator, indexes).
 */
export function mongoRoles(store: StoreSpec): { name: string; db: string }[] {
  return [
    { name: 'readWrite', db: store.namespace },
    { name: 'dbAdmin', db: store.namespace },
  ];
}

/**
 * A MongoDB Community Operator replica set of the owner's own, with the owner's user created in its database; the
 * operator writes the user's connection string to a Secret, which becomes the owner's store URL.
 */
export function renderMongodb(owner: ServiceName, store: StoreSpec, overlay: OverlaySettings): RenderedStore {
  const instance = `${owner}-mongo`;
  const settings = overlay.stores.mongodb;
  const connectionSecret = `${instance}-${store.user.replaceAll('_', '-')}-connection`;
  const replicaSet: Manifest = {
    apiVersion: 'mongodbcommunity.mongodb.com/v1',
    kind: 'MongoDBCommunity',
    metadata: { name: instance, labels: storeLabels(owner, instance) },
    spec: {
      type: 'ReplicaSet',
      members: settings.instances,
      version: mongoVersion,
      security: { authentication: { modes: ['SCRAM'] } },
      users: [
        {
          name: store.user,
          db: store.namespace,
          passwordSecretRef: { name: storeCredentialsSecret(owner), key: 'password' },
          roles: mongoRoles(store),
          scramCredentialsSecretName: `${instance}-${store.user.replaceAll('_', '-')}`,
          connectionStringSecretName: connectionSecret,
        },
      ],
      statefulSet: {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'mongod', resources: settings.resources },
                { name: 'mongodb-agent', resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
              ],
            },
          },
          volumeClaimTemplates: [{ metadata: { name: 'data-volume' }, spec: { resources: { requests: { storage: settings.storage } } } }],
        },
      },
    },
  };
  return {
    instance,
    objects: [replicaSet, ...databaseRbac()],
    pods: { podLabels: { app: `${instance}-svc` } },
    clientPorts: [port],
    peerPorts: [port],
    callsApiServer: true,
    clientEnv: [secretEnv(store.urlVariable, connectionSecret, 'connectionString.standard')],
    secrets: [{ name: storeCredentialsSecret(owner), type: 'Opaque', keys: { password: `the password of ${store.user}` } }],
  };
}

/** The ServiceAccount the operator runs replica set pods as, with the rights its agents need (from the operator's config/rbac). */
function databaseRbac(): Manifest[] {
  const name = 'mongodb-database';
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name },
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['patch', 'delete', 'get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name },
      subjects: [{ kind: 'ServiceAccount', name }],
      roleRef: { kind: 'Role', name, apiGroup: 'rbac.authorization.k8s.io' },
    },
  ];
}
