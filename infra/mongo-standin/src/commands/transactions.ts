import type { Document } from 'bson';
import { checkFields, implemented } from '../command-fields.js';
import type { CommandContext, CommandHandler } from './context.js';

function commitTransaction(context: CommandContext): Document {
  checkFields('commitTransaction', context.command, implemented('recoveryToken'), true);
  context.transactions.commit(context.command);
  return {};
}

function abortTransaction(context: CommandContext): Document {
  checkFields('abortTransaction', context.command, implemented('recoveryToken'), true);
  context.transactions.abort(context.command);
  return {};
}

/** Transaction completion commands (sent to `admin` with the session's lsid and txnNumber). */
export const transactionCommands: Record<string, CommandHandler> = { commitTransaction, abortTransaction };
