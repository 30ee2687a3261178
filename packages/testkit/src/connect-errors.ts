import { Code, ConnectError } from '@connectrpc/connect';
import { DomainError } from '@shop/runtime/errors';

/** The Connect code of a domain error code, e.g. `UNAVAILABLE` → Code.Unavailable. */
function codeOf(domainCode: string): Code | undefined {
  const name = domainCode.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
  return (Code as unknown as Record<string, Code | undefined>)[name];
}

/** A call's failure as a ConnectError: a ConnectError as thrown, or the DomainError the runtime's client factory makes of an unavailable peer. */
function asConnectError(error: unknown): ConnectError | undefined {
  if (error instanceof ConnectError) return error;
  if (!(error instanceof DomainError)) return undefined;
  const code = codeOf(error.code);
  return code === undefined ? undefined : new ConnectError(error.message, code, undefined, undefined, error);
}

/**
 * The error a call failed with, as a ConnectError; fails when the call succeeded or failed with another code or
 * message. A DomainError from a runtime client (an unavailable peer, an exceeded deadline) counts by its code.
 */
export async function expectConnectError(call: Promise<unknown> | (() => Promise<unknown>), code: Code, message?: string | RegExp): Promise<ConnectError> {
  let outcome: unknown;
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (error) {
    outcome = error ?? new Error('rejected with nothing');
  }
  if (outcome === undefined) throw new Error(`expected ${Code[code]} but the call succeeded`);
  const failure = asConnectError(outcome);
  if (!failure) throw new Error(`expected ${Code[code]} but the call threw ${String(outcome)}`, { cause: outcome });
  if (failure.code !== code) throw new Error(`expected ${Code[code]} but got ${Code[failure.code]}: ${failure.rawMessage}`, { cause: outcome });
  const matches = message === undefined || (typeof message === 'string' ? failure.rawMessage.includes(message) : message.test(failure.rawMessage));
  if (!matches) throw new Error(`${Code[code]} as expected, but its message ${JSON.stringify(failure.rawMessage)} does not match ${String(message)}`);
  return failure;
}
