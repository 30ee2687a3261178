import type { ServiceName } from '@shop/system-map';

/**
 * The image's convention, shared with the Dockerfile: compiled JavaScript under services/<name>/dist, run by Node 24
 * with source maps; `main.js` serves, `migrate.js` applies the service's pending migrations and exits.
 */
export function serviceCommand(name: ServiceName, entry: 'main' | 'migrate'): string[] {
  return ['node', '--enable-source-maps', `services/${name}/dist/${entry}.js`];
}

/** The UID and GID of the unprivileged `node` user of the official Node.js images. */
export const nodeUser = 1000;

/** The Secret holding a service's store password (`username`, `password`), created before the first apply. */
export function storeCredentialsSecret(owner: ServiceName): string {
  return `${owner}-store-credentials`;
}

/** The Secret holding a service's own secret settings (for example the gateway's JWT key). */
export function serviceSecret(name: ServiceName): string {
  return `${name}-secrets`;
}

/** The ConfigMap of a service's plain settings. */
export function serviceConfigMap(name: ServiceName): string {
  return `${name}-config`;
}

/** The NATS release name: its client Service and its pods' instance label. */
export const natsRelease = 'nats';

/** The NATS client port. */
export const natsClientPort = 4222;
