import { Binary, type Document } from 'bson';
import { commandError } from '../errors.js';
import { parseClientFirst, SCRAM_SHA_256, ScramFailure, ScramServerExchange } from './scram.js';
import { actionsOn } from './roles.js';
import { accountMayUse, type UserDirectory, type UserAccount } from './users.js';

/** A SASL conversation in progress on one connection. */
interface Conversation {
  account: UserAccount;
  exchange: ScramServerExchange;
  /** saslStart's `options.skipEmptyExchange`: finish with the server signature instead of an extra empty round. */
  skipEmptyExchange: boolean;
  /** Set once the proof is verified while the extra empty round is still to come. */
  awaitingEmptyStep: boolean;
}

/** Authentication state of one connection. */
interface ConnectionState {
  user?: UserAccount;
  conversations: Map<number, Conversation>;
  nextConversationId: number;
}

function authenticationFailed(): Error {
  return commandError('AuthenticationFailed', 'Authentication failed.');
}

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw commandError('BadValue', 'SASL payload must be binary data');
}

function payloadOf(text: string): Binary {
  return new Binary(Buffer.from(text, 'utf8'));
}

/** Users, SCRAM-SHA-256 conversations and the authenticated user of each connection. */
export class Authenticator {
  private readonly connections = new Map<number, ConnectionState>();

  /** With no directory the server is open: nothing needs authentication. */
  constructor(private readonly users: UserDirectory | undefined) {}

  /** Whether commands other than the handshake need an authenticated connection. */
  get required(): boolean {
    return this.users !== undefined;
  }

  /** The user the connection authenticated as, if any. */
  userOf(connectionId: number): UserAccount | undefined {
    return this.connections.get(connectionId)?.user;
  }

  /** Whether a command on `db` is allowed for the connection's user (always, when authentication is off). */
  mayUse(connectionId: number, db: string): boolean {
    if (!this.required) return true;
    const user = this.userOf(connectionId);
    return user !== undefined && accountMayUse(user, db);
  }

  /** Whether the connection's user holds every action on `db` (always, when authentication is off). */
  allows(connectionId: number, db: string, actions: readonly string[]): boolean {
    if (!this.required) return true;
    const user = this.userOf(connectionId);
    if (!user) return false;
    const granted = actionsOn(user.roles, db);
    return actions.every((action) => granted.has(action));
  }

  /** The mechanisms hello reports for `saslSupportedMechs: "<authDb>.<user>"`; undefined for an unknown user. */
  mechanismsFor(qualifiedUser: string): string[] | undefined {
    const dot = qualifiedUser.indexOf('.');
    if (dot <= 0) return undefined;
    return this.users?.find(qualifiedUser.slice(0, dot), qualifiedUser.slice(dot + 1)) ? [SCRAM_SHA_256] : undefined;
  }

  /** saslStart: checks the mechanism and the user, answers the server-first message. */
  saslStart(connectionId: number, db: string, command: Document): Document {
    if (command.mechanism !== SCRAM_SHA_256) {
      throw commandError('MechanismUnavailable', `Received authentication for mechanism ${String(command.mechanism)} which is not enabled`);
    }
    try {
      const clientFirst = parseClientFirst(payloadText(command.payload));
      const account = this.users?.find(db, clientFirst.username);
      if (!account) throw authenticationFailed();
      const exchange = new ScramServerExchange(clientFirst, account.credential);
      const state = this.stateOf(connectionId);
      const conversationId = state.nextConversationId++;
      const skipEmptyExchange = (command.options as Document | undefined)?.skipEmptyExchange === true;
      state.conversations.set(conversationId, { account, exchange, skipEmptyExchange, awaitingEmptyStep: false });
      return { conversationId, done: false, payload: payloadOf(exchange.serverFirst) };
    } catch (error) {
      throw error instanceof ScramFailure ? authenticationFailed() : error;
    }
  }

  /** saslContinue: verifies the client proof, answers the server signature and authenticates the connection. */
  saslContinue(connectionId: number, command: Document): Document {
    const state = this.stateOf(connectionId);
    const conversationId = Number(command.conversationId);
    const conversation = state.conversations.get(conversationId);
    if (!conversation) throw commandError('ProtocolError', `No SASL session state found for conversation ${conversationId}`);
    if (conversation.awaitingEmptyStep) {
      state.conversations.delete(conversationId);
      state.user = conversation.account;
      return { conversationId, done: true, payload: payloadOf('') };
    }
    let serverFinal: string;
    try {
      serverFinal = conversation.exchange.finish(payloadText(command.payload));
    } catch (error) {
      state.conversations.delete(conversationId);
      throw error instanceof ScramFailure ? authenticationFailed() : error;
    }
    if (!conversation.skipEmptyExchange) {
      conversation.awaitingEmptyStep = true;
      return { conversationId, done: false, payload: payloadOf(serverFinal) };
    }
    state.conversations.delete(conversationId);
    state.user = conversation.account;
    return { conversationId, done: true, payload: payloadOf(serverFinal) };
  }

  /** logout: the connection is no longer authenticated. */
  logout(connectionId: number): void {
    const state = this.connections.get(connectionId);
    if (state) state.user = undefined;
  }

  /** Forgets a closed connection. */
  forget(connectionId: number): void {
    this.connections.delete(connectionId);
  }

  private stateOf(connectionId: number): ConnectionState {
    let state = this.connections.get(connectionId);
    if (!state) {
      state = { conversations: new Map(), nextConversationId: 1 };
      this.connections.set(connectionId, state);
    }
    return state;
  }
}
