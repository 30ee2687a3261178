import { randomUUID } from 'node:crypto';
import type { CallOptions } from '@connectrpc/connect';
import type { CallBudget } from '../domain/ports.js';

/** The header naming one logical downstream call; its retries carry the same value. */
export const requestIdHeader = 'x-request-id';

/** Options of one logical downstream call: a fresh request id and the budget's timeout, if any. */
export function callOptions(budget: CallBudget = {}): CallOptions {
  return { headers: { [requestIdHeader]: randomUUID() }, ...(budget.timeoutMs === undefined ? {} : { timeoutMs: budget.timeoutMs }) };
}
