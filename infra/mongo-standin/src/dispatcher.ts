import type { Document } from 'bson';
import type { Authenticator } from './auth/authenticator.js';
import { authorize } from './authorization.js';
import { authenticationCommands } from './commands/authentication.js';
import { checkConcerns } from './command-fields.js';
import { databaseCommands } from './commands/databases.js';
import { explainCommands } from './commands/explain.js';
import { findAndModifyCommands } from './commands/findAndModify.js';
import { handshakeCommands } from './commands/handshake.js';
import { indexCommands } from './commands/indexes.js';
import { readCommands } from './commands/reads.js';
import { transactionCommands } from './commands/transactions.js';
import { writeCommands } from './commands/writes.js';
import type { CommandContext, CommandHandler, ServerIdentity } from './commands/context.js';
import { CursorRegistry } from './cursors.js';
import { asCommandError, commandError } from './errors.js';
import type { Persistence } from './storage/persistence.js';
import { TransactionRegistry } from './transactions.js';
import { Workspace } from './workspace.js';

const HANDLERS: Record<string, CommandHandler> = {
  ...handshakeCommands,
  ...authenticationCommands,
  ...databaseCommands,
  ...indexCommands,
  ...readCommands,
  ...writeCommands,
  ...findAndModifyCommands,
  ...transactionCommands,
  ...explainCommands,
};

const WITHOUT_CONCERNS = new Set([...Object.keys(handshakeCommands), ...Object.keys(authenticationCommands)]);

const OUTSIDE_TRANSACTION = new Set([...Object.keys(handshakeCommands), ...Object.keys(authenticationCommands), ...Object.keys(databaseCommands), ...Object.keys(indexCommands), ...Object.keys(transactionCommands)]);

/** Routes decoded commands to their handlers and turns failures into MongoDB error replies. */
export class Dispatcher {
  private readonly cursors = new CursorRegistry();
  private readonly transactions: TransactionRegistry;

  constructor(
    private readonly persistence: Persistence,
    private readonly server: ServerIdentity,
    private readonly authenticator: Authenticator,
  ) {
    this.transactions = new TransactionRegistry(persistence);
  }

  /** Runs one command and resolves with its reply once every write it made is durable; `executed` is told when only durability is left. */
  async run(db: string, command: Document, connectionId: number, executed?: () => void): Promise<Document> {
    const reply = this.execute(db, command, connectionId);
    executed?.();
    try {
      await this.persistence.sync();
    } catch (error) {
      return commandError('IllegalOperation', `journal write failed: ${(error as Error).message}`).toReply();
    }
    return reply;
  }

  /** Drops what was kept for a closed connection (its authenticated user). */
  connectionClosed(connectionId: number): void {
    this.authenticator.forget(connectionId);
  }

  private execute(db: string, command: Document, connectionId: number): Document {
    try {
      const name = Object.keys(command)[0] ?? '';
      const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
      if (!handler) throw commandError('CommandNotFound', `no such command: '${name}'`);
      authorize(this.authenticator, connectionId, name, db, command);
      if (!WITHOUT_CONCERNS.has(name)) checkConcerns(command);
      const workspace = this.workspaceFor(name, command);
      workspace.bypassDocumentValidation = command.bypassDocumentValidation === true;
      const context: CommandContext = {
        db,
        command,
        workspace,
        persistence: this.persistence,
        cursors: this.cursors,
        transactions: this.transactions,
        server: this.server,
        connectionId,
        authenticator: this.authenticator,
      };
      return { ...handler(context), ok: 1 };
    } catch (error) {
      return asCommandError(error).toReply();
    }
  }

  private workspaceFor(name: string, command: Document): Workspace {
    const transactional = OUTSIDE_TRANSACTION.has(name) ? undefined : this.transactions.workspaceFor(command);
    return transactional ?? new Workspace(this.persistence);
  }
}
