import type { Document } from 'bson';
import type { CommandContext, CommandHandler } from './context.js';

/** The authentication fields of a hello reply: mechanisms for `saslSupportedMechs`, the answer to `speculativeAuthenticate`. */
export function helloAuthenticationFields(context: CommandContext): Document {
  const { command, authenticator, connectionId } = context;
  const fields: Document = {};
  if (typeof command.saslSupportedMechs === 'string') {
    const mechanisms = authenticator.mechanismsFor(command.saslSupportedMechs);
    if (mechanisms) fields.saslSupportedMechs = mechanisms;
  }
  const speculative = command.speculativeAuthenticate as Document | undefined;
  if (authenticator.required && speculative?.saslStart !== undefined && typeof speculative.db === 'string') {
    try {
      fields.speculativeAuthenticate = authenticator.saslStart(connectionId, speculative.db, speculative);
    } catch {
      // As MongoDB does: a failed speculative attempt is left unanswered and the driver retries with saslStart.
    }
  }
  return fields;
}

function connectionStatus(context: CommandContext): Document {
  const user = context.authenticator.userOf(context.connectionId);
  const authenticatedUsers = user ? [{ user: user.username, db: user.authDb }] : [];
  const authenticatedUserRoles = user ? user.roles.map(({ role, db }) => ({ role, db })) : [];
  return { authInfo: { authenticatedUsers, authenticatedUserRoles } };
}

/** SASL authentication (SCRAM-SHA-256), logout and the connection's authentication status. */
export const authenticationCommands: Record<string, CommandHandler> = {
  saslStart: (context) => context.authenticator.saslStart(context.connectionId, context.db, context.command),
  saslContinue: (context) => context.authenticator.saslContinue(context.connectionId, context.command),
  logout: (context) => {
    context.authenticator.logout(context.connectionId);
    return {};
  },
  connectionStatus,
};
