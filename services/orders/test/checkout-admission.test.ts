import { describe, expect, it } from '@jest/globals';
import { remainingDeadlineMs, runInCallContext } from '@shop/runtime';
import { DomainError } from '@shop/runtime/errors';
import { checkoutAdmission } from '../src/api/checkout-admission.js';

const held = () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { gate, release };
};

describe('checkout admission', () => {
  it('runs checkouts up to the limit, admits the waiting ones in arrival order and refuses beyond the queue', async () => {
    const admit = checkoutAdmission(1, 2);
    const signal = new AbortController().signal;
    const started: string[] = [];
    const first = held();
    const run = (name: string, gate: Promise<void> = Promise.resolve()) => admit(async () => (started.push(name), await gate, name), signal);
    const answers = [run('a', first.gate), run('b'), run('c')];
    const refused = run('d').catch((error: unknown) => error);
    const refusal = await refused;
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: 'orders is running 1 checkouts with 2 waiting; retry later' });
    expect(started).toEqual(['a']);
    first.release();
    expect(await Promise.all(answers)).toEqual(['a', 'b', 'c']);
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('drops a waiting checkout whose caller gave up', async () => {
    const admit = checkoutAdmission(1, 5);
    const first = held();
    const caller = new AbortController();
    let ran = false;
    const running = admit(() => first.gate, new AbortController().signal);
    const abandoned = admit(async () => void (ran = true), caller.signal).catch((error: unknown) => error);
    caller.abort();
    first.release();
    await running;
    expect(await abandoned).toBeInstanceOf(Error);
    expect(ran).toBe(false);
  });

  it("runs a waiting checkout under its own call's deadline, not under that of the checkout it waited for", async () => {
    const admit = checkoutAdmission(1, 5);
    const signal = new AbortController().signal;
    const first = held();
    const inCall = <T>(deadline: number, fn: () => Promise<T>) => runInCallContext({ deadline, requestHeader: new Headers() }, fn);
    const soon = Date.now() + 50;
    const later = Date.now() + 600_000;
    const running = inCall(soon, () => admit(() => first.gate.then(() => remainingDeadlineMs()), signal));
    const waiting = inCall(later, () => admit(async () => remainingDeadlineMs(), signal));
    await new Promise((resolve) => setTimeout(resolve, 100));
    first.release();
    expect(await running).toBe(0);
    expect(await waiting).toBeGreaterThan(500_000);
  });
});
