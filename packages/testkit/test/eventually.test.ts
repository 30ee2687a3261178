import { describe, expect, it } from '@jest/globals';
import { Code, ConnectError } from '@connectrpc/connect';
import { invalidArgument, unavailable } from '@shop/runtime/errors';
import { eventually, expectConnectError } from '../src/index.js';

describe('eventually', () => {
  it('resolves with the first value the check returns', async () => {
    let calls = 0;
    const value = await eventually(() => (++calls >= 3 ? calls : undefined), { intervalMs: 1 });
    expect(value).toBe(3);
  });

  it('rejects past its bound with the description and the last failure', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('still down');
        },
        { description: 'the store', timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(/waiting for the store: still down/);
  });
});

describe('eventually with a fatal failure', () => {
  it('rethrows a failure no retry can mend at once, without retrying', async () => {
    let calls = 0;
    const gone = new Error('the process exited');
    await expect(
      eventually(
        () => {
          calls += 1;
          throw gone;
        },
        { timeoutMs: 20_000, fatal: (failure) => failure === gone },
      ),
    ).rejects.toBe(gone);
    expect(calls).toBe(1);
  });
});

describe('expectConnectError', () => {
  it('returns the error of the expected code and message', async () => {
    const error = await expectConnectError(Promise.reject(new ConnectError('orders unavailable: down', Code.Unavailable)), Code.Unavailable, 'orders');
    expect(error.rawMessage).toBe('orders unavailable: down');
  });

  it('fails on success, on another code and on another message', async () => {
    await expect(expectConnectError(Promise.resolve(1), Code.NotFound)).rejects.toThrow(/succeeded/);
    await expect(expectConnectError(Promise.reject(new ConnectError('x', Code.Internal)), Code.NotFound)).rejects.toThrow(/got Internal/);
    await expect(expectConnectError(Promise.reject(new ConnectError('x', Code.NotFound)), Code.NotFound, /y/)).rejects.toThrow(/does not match/);
  });

  it('counts a DomainError of a runtime client by its code', async () => {
    const error = await expectConnectError(() => Promise.reject(unavailable('cart', 'redis unavailable: down')), Code.Unavailable, 'redis unavailable');
    expect(error.code).toBe(Code.Unavailable);
    await expect(expectConnectError(Promise.reject(invalidArgument('name', 'empty')), Code.NotFound)).rejects.toThrow(/got InvalidArgument/);
    await expect(expectConnectError(Promise.reject(new Error('boom')), Code.NotFound)).rejects.toThrow(/threw Error: boom/);
  });
});
