import { isAbsolute, relative } from 'node:path';
import { serviceNodeArgs } from '@shop/runtime';
import type { ServiceName } from '@shop/system-map';
import { buildOutputs, repositoryRoot } from '../../../scripts/build-targets.js';

/**
 * Node's arguments in every container of the image: the launcher's own (`serviceNodeArgs`: source maps and the
 * compiled telemetry preload), with paths relative to the repository root, which is the image's working directory
 * (`./`-prefixed: `--import` resolves a bare path as a package name).
 */
export function imageNodeArgs(): string[] {
  return serviceNodeArgs().map((argument) => (isAbsolute(argument) ? `./${relative(repositoryRoot, argument)}` : argument));
}

/** The command running one compiled script of the image (a path the build writes, relative to the repository root). */
export function nodeCommand(script: string): string[] {
  if (!buildOutputs().has(script)) throw new Error(`${script} is not written by scripts/build.ts`);
  return ['node', ...imageNodeArgs(), script];
}

/** The command serving a service: its compiled main.js. */
export function serviceCommand(name: ServiceName): string[] {
  return nodeCommand(`services/${name}/dist/main.js`);
}

/** The script applying a service's pending migrations and exiting, as the build writes it from src/cli/migrate.ts. */
export function migrationScript(name: ServiceName): string {
  return `services/${name}/dist/cli/migrate.js`;
}

/** The command applying a service's pending migrations and exiting; none when the service has no migrate command. */
export function migrationCommand(name: ServiceName): string[] | undefined {
  return buildOutputs().has(migrationScript(name)) ? nodeCommand(migrationScript(name)) : undefined;
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
