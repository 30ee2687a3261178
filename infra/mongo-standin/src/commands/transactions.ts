import type { Document } from 'bson';
import type { CommandContext, CommandHandler } from './context.js';

function commitTransaction(context: CommandContext): Document {
  context.transactions.commit(context.command);
  return {};
}

function abortTransaction(context: CommandContext): Document {
  context.transactions.abort(context.command);
  return {};
}

/** Transaction completion commands (sent to `admin` with the session's lsid and txnNumber). */
export const transactionCommands: Record<string, CommandHandler> = { commitTransaction, abortTransaction };
