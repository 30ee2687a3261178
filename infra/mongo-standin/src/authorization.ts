import { Binary, Long, ObjectId, type Document } from 'bson';
import type { Authenticator } from './auth/authenticator.js';
import { requiredActions } from './auth/command-privileges.js';
import { commandError } from './errors.js';

/** Commands MongoDB answers before authentication: the handshake, SASL, session ending and status. */
const OPEN_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo', 'saslStart', 'saslContinue', 'logout', 'endSessions', 'connectionStatus']);

/** Commands any authenticated user may run whatever the database: listDatabases filters its answer, the transaction ones go to `admin`. */
const ANY_AUTHENTICATED_USER = new Set(['listDatabases', 'commitTransaction', 'abortTransaction']);

/** Throws Unauthorized (13) unless the connection's roles grant every action the command needs on `db`, as MongoDB words it. */
export function authorize(authenticator: Authenticator, connectionId: number, name: string, db: string, command: Document): void {
  if (!authenticator.required || OPEN_COMMANDS.has(name)) return;
  if (!authenticator.userOf(connectionId)) throw commandError('Unauthorized', `Command ${name} requires authentication`);
  if (ANY_AUTHENTICATED_USER.has(name)) return;
  const actions = requiredActions(name, command);
  if (actions && authenticator.allows(connectionId, db, actions)) return;
  throw commandError('Unauthorized', `not authorized on ${db} to execute command ${shellForm(command)}`);
}

/** Renders a value the way MongoDB's error messages print documents: `{ find: "c", lsid: { id: UUID("...") } }`. */
function shellForm(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(shellForm).join(', ')} ]`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Long) return value.toString();
  if (value instanceof Binary) return value.sub_type === Binary.SUBTYPE_UUID ? `UUID("${value.toUUID().toHexString()}")` : `BinData(${value.sub_type}, ${value.toString('base64')})`;
  const entries = Object.entries(value as Document);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([key, entry]) => `${key}: ${shellForm(entry)}`).join(', ')} }`;
}
