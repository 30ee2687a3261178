import { Code, ConnectError } from '@connectrpc/connect';

/** The error a call failed with, as a ConnectError; fails when the call succeeded or failed with something else. */
export async function expectConnectError(call: Promise<unknown> | (() => Promise<unknown>), code: Code, message?: string | RegExp): Promise<ConnectError> {
  let outcome: unknown;
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (error) {
    outcome = error;
  }
  if (outcome === undefined) throw new Error(`expected ${Code[code]} but the call succeeded`);
  if (!(outcome instanceof ConnectError)) throw new Error(`expected ${Code[code]} but the call threw ${String(outcome)}`, { cause: outcome });
  if (outcome.code !== code) throw new Error(`expected ${Code[code]} but got ${Code[outcome.code]}: ${outcome.rawMessage}`, { cause: outcome });
  const matches = message === undefined || (typeof message === 'string' ? outcome.rawMessage.includes(message) : message.test(outcome.rawMessage));
  if (!matches) throw new Error(`${Code[code]} as expected, but its message ${JSON.stringify(outcome.rawMessage)} does not match ${String(message)}`);
  return outcome;
}
