import { describe, expect, it } from '@jest/globals';
import { currentCallContext, runInCallContext } from '@shop/runtime';
import { CombiningQueue } from '../src/storage/combining-queue.js';

describe('combining concurrent requests into batches', () => {
  it('runs the first request alone and the ones arriving meanwhile together, in arrival order, up to the batch size', async () => {
    const batches: number[][] = [];
    const queue = new CombiningQueue<number, number>(async (inputs) => {
      batches.push([...inputs]);
      await new Promise((resolve) => setImmediate(resolve));
      return inputs.map((value) => ({ status: 'fulfilled', value: value * 10 }));
    }, 3);
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((input) => queue.submit(input)));
    expect(answers).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it("puts one caller's several requests into one batch, the first not going out alone, each settling on its own", async () => {
    const batches: string[][] = [];
    const queue = new CombiningQueue<string, string>(async (inputs) => {
      batches.push([...inputs]);
      await new Promise((resolve) => setImmediate(resolve));
      return inputs.map((input): PromiseSettledResult<string> => (input === 'bad' ? { status: 'rejected', reason: new Error(`refused ${input}`) } : { status: 'fulfilled', value: input.toUpperCase() }));
    }, 4);
    const many = queue.submitAll(['a', 'bad', 'b']);
    const single = queue.submit('c');
    const more = queue.submitAll(['d', 'e', 'f']);
    const outcomes = await Promise.allSettled([...many, single, ...more]);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 'refused'))).toEqual(['A', 'refused', 'B', 'C', 'D', 'E', 'F']);
    expect(batches).toEqual([['a', 'bad', 'b'], ['c', 'd', 'e', 'f']]);
  });

  it('fails only the requests a batch rejects, and every request of a batch that throws', async () => {
    let calls = 0;
    const queue = new CombiningQueue<string, string>(async (inputs) => {
      calls += 1;
      if (calls === 3) throw new Error('store down');
      return inputs.map((input): PromiseSettledResult<string> => (input === 'bad' ? { status: 'rejected', reason: new Error(`refused ${input}`) } : { status: 'fulfilled', value: input }));
    }, 10);
    const first = await Promise.allSettled([queue.submit('a'), queue.submit('bad'), queue.submit('b')]);
    expect(first.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await expect(queue.submit('c')).rejects.toThrow('store down');
    await expect(queue.submit('d')).resolves.toBe('d');
  });

  it("runs each batch in the call context of its first request's caller, not of the caller that started the draining", async () => {
    const seen: Array<string | null | undefined> = [];
    const queue = new CombiningQueue<number, number>(async (inputs) => {
      seen.push(currentCallContext()?.requestHeader.get('x-caller'));
      await new Promise((resolve) => setImmediate(resolve));
      return inputs.map((value) => ({ status: 'fulfilled', value }));
    }, 2);
    const asCaller = (input: number) => runInCallContext({ requestHeader: new Headers({ 'x-caller': `caller-${input}` }) }, () => queue.submit(input));
    const answers = await Promise.all([1, 2, 3, 4, 5].map(asCaller));
    expect(answers).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual(['caller-1', 'caller-2', 'caller-4']);
  });
});
