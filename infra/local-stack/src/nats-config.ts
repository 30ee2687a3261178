import { busUsers, natsPasswordVariable, natsPermissionsOf, natsUserOf } from '@shop/system-map';

/** The operators' NATS user (every subject): tools, tests and health checks, never a service. */
export const NATS_ADMIN_USER = 'admin';

/** The variable carrying the admin user's password. */
export const NATS_ADMIN_PASSWORD_VARIABLE = 'NATS_ADMIN_PASSWORD';

const list = (subjects: readonly string[]) => `[${subjects.map((subject) => JSON.stringify(subject)).join(', ')}]`;

/** How a password appears in the configuration, given the variable that names it. */
export type PasswordValue = (variable: string) => string;

/** A `$VARIABLE` reference, which nats-server resolves from its environment (docker-compose). */
export const passwordFromEnvironment: PasswordValue = (variable) => `$${variable}`;

/**
 * The nats-server `authorization` block derived from the system map: one user per service that uses the bus, allowed
 * only its own subjects, plus the admin user. Each password is written by `password(variable)`.
 */
export function renderNatsAuthorization(password: PasswordValue = passwordFromEnvironment, namespace = ''): string {
  const users = busUsers().map((name) => {
    const { publish, subscribe } = natsPermissionsOf(name, namespace);
    return [
      `    {`,
      `      user: ${JSON.stringify(natsUserOf(name))}`,
      `      password: ${password(natsPasswordVariable(name))}`,
      `      permissions: {`,
      `        publish: { allow: ${list(publish)} }`,
      `        subscribe: { allow: ${list(subscribe)} }`,
      `      }`,
      `    }`,
    ].join('\n');
  });
  return [
    '# Generated from the system map (@shop/system-map natsPermissionsOf) by infra/local-stack renderNatsAuthorization:',
    '# each service publishes only its own events and reads only the streams it consumes. Do not edit by hand.',
    'authorization {',
    '  users = [',
    `    { user: ${JSON.stringify(NATS_ADMIN_USER)}, password: ${password(NATS_ADMIN_PASSWORD_VARIABLE)} }`,
    ...users,
    '  ]',
    '}',
    '',
  ].join('\n');
}
