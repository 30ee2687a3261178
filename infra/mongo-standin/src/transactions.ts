import type { Document } from 'bson';
import { keyString } from './documents.js';
import { commandError, transientError } from './errors.js';
import type { Persistence } from './storage/persistence.js';
import { DocumentLocks, Workspace } from './workspace.js';

/** Transactions idle longer than this are aborted, like MongoDB's `transactionLifetimeLimitSeconds`. */
export const TRANSACTION_LIFETIME_MS = 60_000;

type TransactionState = 'inProgress' | 'committed' | 'aborted';

class SessionTransaction {
  private current: TransactionState = 'inProgress';
  lastUsed = Date.now();
  readonly workspace: Workspace;

  constructor(
    readonly txnNumber: number,
    persistence: Persistence,
    locks: DocumentLocks,
  ) {
    this.workspace = new Workspace(persistence, { onStatementFailed: () => (this.state = 'aborted'), locks });
  }

  get state(): TransactionState {
    return this.current;
  }

  /** Moves the transaction on; leaving inProgress releases its snapshot and the documents it holds. */
  set state(next: TransactionState) {
    this.current = next;
    if (next !== 'inProgress') this.workspace.end();
  }
}

/** The transaction of each logical session (lsid), driven by `startTransaction`/`commitTransaction`/`abortTransaction`. */
export class TransactionRegistry {
  private readonly sessions = new Map<string, SessionTransaction>();
  private readonly locks = new DocumentLocks();

  constructor(private readonly persistence: Persistence) {}

  /** The workspace a command runs in: its transaction's, or undefined for an autocommit command. */
  workspaceFor(command: Document): Workspace | undefined {
    if (command.autocommit !== false || command.lsid === undefined) return undefined;
    this.expireIdle();
    const session = sessionKey(command.lsid);
    const txnNumber = Number(command.txnNumber);
    if (command.startTransaction === true) return this.start(session, txnNumber).workspace;
    const transaction = this.lookup(command);
    if (transaction?.state !== 'inProgress') throw noSuchTransaction(command);
    transaction.lastUsed = Date.now();
    return transaction.workspace;
  }

  /** Commits the session's transaction atomically; a retried commit of a committed transaction succeeds again. */
  commit(command: Document): void {
    this.expireIdle();
    const transaction = this.lookup(command);
    if (transaction?.state === 'committed') return;
    if (transaction?.state !== 'inProgress') throw noSuchTransaction(command);
    try {
      transaction.workspace.commit();
      transaction.state = 'committed';
    } catch (error) {
      transaction.state = 'aborted';
      throw error;
    }
  }

  /** Aborts the session's transaction, discarding its writes. */
  abort(command: Document): void {
    const transaction = this.lookup(command);
    if (transaction?.state !== 'inProgress') throw noSuchTransaction(command);
    transaction.state = 'aborted';
  }

  /** Forgets sessions the driver has ended, aborting their open transactions. */
  endSessions(lsids: Document[]): void {
    for (const lsid of lsids) {
      const transaction = this.sessions.get(sessionKey(lsid));
      if (transaction?.state === 'inProgress') transaction.state = 'aborted';
      this.sessions.delete(sessionKey(lsid));
    }
  }

  private start(session: string, txnNumber: number): SessionTransaction {
    const existing = this.sessions.get(session);
    if (existing && existing.txnNumber >= txnNumber) {
      throw commandError('TransactionTooOld', `txnNumber ${txnNumber} is not newer than ${existing.txnNumber}`);
    }
    if (existing?.state === 'inProgress') existing.state = 'aborted';
    const transaction = new SessionTransaction(txnNumber, this.persistence, this.locks);
    this.sessions.set(session, transaction);
    return transaction;
  }

  private lookup(command: Document): SessionTransaction | undefined {
    const transaction = command.lsid === undefined ? undefined : this.sessions.get(sessionKey(command.lsid));
    return transaction?.txnNumber === Number(command.txnNumber) ? transaction : undefined;
  }

  private expireIdle(): void {
    const cutoff = Date.now() - TRANSACTION_LIFETIME_MS;
    for (const transaction of this.sessions.values()) {
      if (transaction.state === 'inProgress' && transaction.lastUsed < cutoff) transaction.state = 'aborted';
    }
  }
}

function sessionKey(lsid: unknown): string {
  return keyString(lsid);
}

function noSuchTransaction(command: Document): Error {
  return transientError('NoSuchTransaction', `Transaction with txnNumber ${String(command.txnNumber)} has been aborted or does not exist`);
}
