import { describe, expect, it } from '@jest/globals';
import { Code, ConnectError } from '@connectrpc/connect';
import { CircuitState } from 'cockatiel';
import { CallerDeadlinePassed, dependencyPolicies } from '../src/clients/resilience.js';

const options = { retries: 0, breakerThreshold: 2, breakerFirstTrialAfterMs: 1, breakerHalfOpenAfterMs: 1 };
const fail = (error: Error) => () => Promise.reject(error);
const dependencyDeadline = new ConnectError('deadline exceeded', Code.DeadlineExceeded);
const callerDeadline = new CallerDeadlinePassed(dependencyDeadline, "the caller's deadline left too little time");

/** A breaker opened by two failures of the dependency, past its (1 ms) wait for a trial call. */
async function openedBreaker() {
  const { other: breaker } = dependencyPolicies(options);
  for (let i = 0; i < 2; i += 1) await expect(breaker.execute(fail(dependencyDeadline))).rejects.toBe(dependencyDeadline);
  expect(breaker.state).toBe(CircuitState.Open);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return breaker;
}

describe('dependency circuit breaker', () => {
  it('does not count deadlines its callers cut short while closed', async () => {
    const { other: breaker } = dependencyPolicies(options);
    for (let i = 0; i < 5; i += 1) await expect(breaker.execute(fail(callerDeadline))).rejects.toBe(callerDeadline);
    expect(breaker.state).toBe(CircuitState.Closed);
  });

  it('opens again when its trial call ran out of its caller\'s time, instead of closing on it', async () => {
    const breaker = await openedBreaker();
    await expect(breaker.execute(fail(callerDeadline))).rejects.toBe(callerDeadline);
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('closes when its trial call is answered, a refusal included', async () => {
    const answered = await openedBreaker();
    await expect(answered.execute(() => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(answered.state).toBe(CircuitState.Closed);
    const refused = await openedBreaker();
    const notFound = new ConnectError('no such cart', Code.NotFound);
    await expect(refused.execute(fail(notFound))).rejects.toBe(notFound);
    expect(refused.state).toBe(CircuitState.Closed);
  });
});
