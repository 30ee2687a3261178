import type { Document } from 'bson';
import type { Authenticator } from '../auth/authenticator.js';
import { isGenericField } from '../command-fields.js';
import { commandError } from '../errors.js';
import type { CursorRegistry } from '../cursors.js';
import type { Persistence } from '../storage/persistence.js';
import type { TransactionRegistry } from '../transactions.js';
import type { Workspace } from '../workspace.js';

/** Facts about the running server that replies such as `hello` report. */
export interface ServerIdentity {
  address: string;
  startedAt: Date;
}

/** Everything a command handler may use. */
export interface CommandContext {
  db: string;
  command: Document;
  workspace: Workspace;
  persistence: Persistence;
  cursors: CursorRegistry;
  transactions: TransactionRegistry;
  server: ServerIdentity;
  connectionId: number;
  authenticator: Authenticator;
}

/** A command implementation: returns the reply's fields (`ok: 1` is added unless present). */
export type CommandHandler = (context: CommandContext) => Document;

/** The collection a collection-level command targets (the value of its first field), rejecting unusable names. */
export function targetCollection(context: CommandContext): string {
  const value = Object.values(context.command)[0] as unknown;
  if (typeof value !== 'string' || value.length === 0 || value.includes('\0') || value.startsWith('system.')) {
    throw commandError('InvalidNamespace', `Invalid collection name: ${String(value)}`);
  }
  return value;
}

/** The namespace string `db.collection` used in replies. */
export function namespaceOf(context: CommandContext, coll: string): string {
  return `${context.db}.${coll}`;
}


/** The command's own options: its fields without the command name and the generic session/concern fields. */
export function ownOptions(command: Document): Document {
  const [, ...fields] = Object.entries(command);
  return Object.fromEntries(fields.filter(([key]) => !key.startsWith('$') && !isGenericField(key)));
}
